// Classes for conditional runs on real folders (ImageFolder layout, MNIST digits written as PNGs): labels
// from the subfolders, carried through the cache and its key, and the messages for folders a conditional run
// cannot use.

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeClassFolder } from '../../../tests/fixtures/image-folder'
import { datasetKey } from './cache'
import { checkConditionalClasses, checkDatasetSource, classOfPath, DataError, NO_CLASS, prepareDataset } from './index'

let root: string
let cacheDir: string

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gan-data-classes-'))
  cacheDir = path.join(root, 'cache')
})
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

async function folder(name: string, classes: Record<string, number>, perClass: number): Promise<string> {
  const dir = path.join(root, name)
  await writeClassFolder(dir, classes, perClass)
  return dir
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as DataError)

describe('a folder of class subfolders', () => {
  it('labels every image by its first-level subfolder (sorted names), through the cache too', async () => {
    const dir = await folder('digits', { seven: 7, one: 1, zero: 0 }, 6)
    await fs.mkdir(path.join(dir, 'one', 'more'))
    await fs.copyFile(path.join(dir, 'one', 'one-0.png'), path.join(dir, 'one', 'more', 'deeper.png'))
    const data = await prepareDataset({ kind: 'folder', path: dir }, { size: 32, cacheDir })
    expect(data.classes).toEqual({ names: ['one', 'seven', 'zero'], counts: [7, 6, 6], unlabeled: 0, from: 'subfolders' })
    expect(data.labels).toHaveLength(19)
    data.files.forEach((file, i) => expect(data.classes!.names[data.labels![i]]).toBe(classOfPath(file)))
    expect(data.files).toContain('one/more/deeper.png')

    const cached = await prepareDataset({ kind: 'folder', path: dir }, { size: 32, cacheDir })
    expect(cached.fromCache).toBe(true)
    expect(cached.classes).toEqual(data.classes)
    expect(Array.from(cached.labels!)).toEqual(Array.from(data.labels!))
    expect(cached.key).toBe(data.key)
    // A preview of the first images counts only those.
    const preview = await prepareDataset({ kind: 'folder', path: dir }, { size: 32, cacheDir, limit: 8 })
    expect(preview.classes!.counts).toEqual([7, 1, 0])
    expect(Array.from(preview.labels!)).toEqual(Array.from(data.labels!.subarray(0, 8)))
    expect(checkConditionalClasses(data.classes, dir)).toBe(data.classes)
  })

  it('gives images outside every subfolder no class, and a folder without subfolders no classes at all', async () => {
    const dir = await folder('mixed', { a: 2, b: 3 }, 3)
    await fs.copyFile(path.join(dir, 'a', 'a-0.png'), path.join(dir, 'loose.png'))
    const data = await prepareDataset({ kind: 'folder', path: dir }, { size: 32, cacheDir })
    expect(data.classes).toEqual({ names: ['a', 'b'], counts: [3, 3], unlabeled: 1, from: 'subfolders' })
    expect(data.labels![data.files.indexOf('loose.png')]).toBe(NO_CLASS)

    const flat = path.join(root, 'flat')
    await fs.mkdir(flat)
    await fs.copyFile(path.join(dir, 'a', 'a-0.png'), path.join(flat, 'x.png'))
    const plain = await prepareDataset({ kind: 'folder', path: flat }, { size: 32, cacheDir })
    expect(plain.classes).toBeNull()
    expect(plain.labels).toBeNull()
  })

  it('keys the data set by its labels as well as its pixels', () => {
    const labels = Int32Array.from([0, 1, 0, 1])
    const classes = { names: ['a', 'b'], counts: [2, 2], unlabeled: 0, from: 'subfolders' as const }
    const key = datasetKey('fingerprint', 32, 1, 4, labels, classes)
    expect(datasetKey('fingerprint', 32, 1, 4, Int32Array.from([1, 0, 0, 1]), classes)).not.toBe(key)
    expect(datasetKey('fingerprint', 32, 1, 4, labels, { ...classes, names: ['b', 'a'] })).not.toBe(key)
    expect(datasetKey('fingerprint', 32, 1, 4, null, null)).not.toBe(key)
    expect(datasetKey('fingerprint', 32, 1, 4, Int32Array.from(labels), { ...classes })).toBe(key)
  })
})

describe('what a conditional run refuses, and says how to fix', () => {
  it('a folder without subfolders', async () => {
    const flat = path.join(root, 'no-classes')
    await writeClassFolder(flat, { tmp: 3 }, 2)
    await fs.rename(path.join(flat, 'tmp', 'tmp-0.png'), path.join(flat, 'x.png'))
    await fs.rm(path.join(flat, 'tmp'), { recursive: true })
    const error = await refusal(checkDatasetSource({ kind: 'folder', path: flat }, { conditional: true }))
    expect(error).toBeInstanceOf(DataError)
    expect(error!.message).toBe(`A conditional run needs classes, and ${flat} has no subfolders: its classes would be its first-level subfolders.`)
    expect(error!.hint).toMatch(/one subfolder per class \(root\/cats\/x\.png, root\/dogs\/y\.png\), or train without --conditional/)
    // Without --conditional the same folder is fine.
    await expect(checkDatasetSource({ kind: 'folder', path: flat })).resolves.toBeUndefined()
  })

  it('images directly in the folder, naming them', async () => {
    const dir = await folder('loose', { cats: 3, dogs: 5 }, 2)
    await fs.copyFile(path.join(dir, 'cats', 'cats-0.png'), path.join(dir, 'stray.png'))
    const error = await refusal(checkDatasetSource({ kind: 'folder', path: dir }, { conditional: true }))
    expect(error!.message).toBe(`1 image lies directly in ${dir} (e.g. stray.png), outside every class subfolder: a conditional run cannot tell its class.`)
    expect(error!.hint).toBe('Move them into the subfolder of their class, or out of the folder.')
  })

  it('a class with no image file, and one whose every file is unusable (found once decoded)', async () => {
    const dir = await folder('empty-class', { cats: 3, dogs: 5 }, 2)
    await fs.mkdir(path.join(dir, 'birds'))
    let error = await refusal(checkDatasetSource({ kind: 'folder', path: dir }, { conditional: true }))
    expect(error!.message).toBe(`A class has no usable image in ${dir}: birds/ (no image files).`)
    expect(error!.hint).toMatch(/add images to that subfolder, or remove it/)

    // Files that look like images pass the quick check; decoding finds them unusable.
    await fs.writeFile(path.join(dir, 'birds', 'broken.png'), Buffer.from('not a png at all, just text'))
    await expect(checkDatasetSource({ kind: 'folder', path: dir }, { conditional: true })).resolves.toBeUndefined()
    const data = await prepareDataset({ kind: 'folder', path: dir }, { size: 32, cacheDir })
    expect(data.classes!.counts).toEqual([0, 2, 2])
    error = await refusal(Promise.resolve().then(() => checkConditionalClasses(data.classes, dir, data.skipped)))
    expect(error!.message).toBe(`A class has no usable image in ${dir}: birds/ (1 file skipped, e.g. birds/broken.png: corrupt).`)
  })

  it('a single class', async () => {
    const dir = await folder('one-class', { cats: 3 }, 2)
    const error = await refusal(checkDatasetSource({ kind: 'folder', path: dir }, { conditional: true }))
    expect(error!.message).toBe(`A conditional run needs at least 2 classes; ${dir} has one subfolder (cats).`)
  })
})
