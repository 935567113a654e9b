// The browser mode's folder field: paths are on the server's disk, typed by someone who cannot see the
// folder the server was started in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browseFolder, describePath, typedDataSource, typedPath } from './folders'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-folders-'))
  mkdirSync(join(dir, 'photos', 'cats'), { recursive: true })
  writeFileSync(join(dir, 'photos', 'a.jpg'), 'x')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('typed folder paths', () => {
  it('reads ~ as the home folder, as a shell does', () => {
    expect(typedPath('~')).toBe(homedir())
    expect(typedPath('~/')).toBe(homedir())
    expect(typedPath('~/Pictures/cats')).toBe(join(homedir(), 'Pictures', 'cats'))
    expect(typedPath('  ~/Pictures ')).toBe(join(homedir(), 'Pictures'))
    expect(typedPath('')).toBe(homedir())
  })

  it('takes absolute paths as they are, tidied', () => {
    expect(typedPath(join(dir, 'photos', '..', 'photos'))).toBe(join(dir, 'photos'))
  })

  it('refuses relative paths instead of resolving them against the server folder, and says what to type', () => {
    expect(() => typedPath('photos/cats')).toThrow(`"photos/cats" is a relative path; type a full one, such as ${join(homedir(), 'photos/cats')} or ~/photos/cats`)
    expect(() => typedPath('~bob/photos')).toThrow(/only ~ \(your own home folder\) is understood/)
  })
})

describe('paths typed elsewhere in the app', () => {
  it('reads data sources and export paths the same way as the folder field', async () => {
    expect(typedDataSource('builtin:mnist')).toBe('builtin:mnist')
    expect(typedDataSource('~/Pictures')).toBe(join(homedir(), 'Pictures'))
    expect(() => typedDataSource('Pictures')).toThrow(/relative path/)
    // The check before an export looks at the very file the export will write.
    expect(await describePath('~/')).toMatchObject({ path: homedir(), exists: true, isDirectory: true })
    await expect(describePath('grid.png')).rejects.toThrow(/relative path/)
  })
})

describe('browseFolder', () => {
  it('lists the home folder for ~/ (not a folder named ~ in the working folder)', async () => {
    expect((await browseFolder('~/')).path).toBe(homedir())
    expect((await browseFolder()).path).toBe(homedir())
  })

  it('lists a typed folder, counting its images with those of its subfolders', async () => {
    expect(await browseFolder(join(dir, 'photos'))).toEqual({
      path: join(dir, 'photos'), parent: dir, folders: ['cats'], imageCount: 1, imagesHere: 1, countComplete: true, missing: null
    })
    await expect(browseFolder('nowhere')).rejects.toThrow(/is a relative path/)
  })

  it('opens the nearest existing parent of a path that does not exist, and says which was asked for', async () => {
    const asked = join(dir, 'photos', 'gone', 'deeper')
    expect(await browseFolder(asked)).toMatchObject({ path: join(dir, 'photos'), missing: asked })
    // A file: its folder.
    expect(await browseFolder(join(dir, 'photos', 'a.jpg'))).toMatchObject({ path: join(dir, 'photos'), missing: join(dir, 'photos', 'a.jpg') })
  })
})
