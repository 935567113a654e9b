// The server-side folder browser of the browser mode: subfolders and how many images each level holds.
import { readdir, realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, extname, isAbsolute, join, resolve } from 'node:path'
import type { FolderListing, PathInfo } from '../../shared/api'
import { DataError, IMAGE_EXTENSIONS } from '../data'

/**
 * A path typed into the app (a folder to train on or browse, a file to export to), on the disk of the
 * machine running GAN Studio: `~` and `~/...` are the home folder,
 * as in a shell. A relative path is refused rather than resolved against the folder the server was
 * started in, which the person at the browser cannot see.
 */
export function typedPath(typed: string): string {
  const path = typed.trim()
  if (path === '' || path === '~') return homedir()
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2))
  if (path.startsWith('~')) {
    throw new DataError(`"${path}": only ~ (your own home folder) is understood; type the full path of another user's folder.`)
  }
  if (!isAbsolute(path)) {
    throw new DataError(
      `"${path}" is a relative path; type a full one, such as ${join(homedir(), path)} or ~/${path} (~ is your home folder on the machine running GAN Studio).`
    )
  }
  return resolve(path)
}

/** Past this many entries looked at, a folder's image count stops and says "at least". */
const COUNT_BUDGET = 20_000

/** The folder asked for, or its nearest existing parent when it does not exist (or is a file). */
async function nearestFolder(folder: string): Promise<string> {
  for (let at = folder; ; at = dirname(at)) {
    const found = await stat(at).catch(() => null)
    if (found?.isDirectory()) return at
    if (dirname(at) === at) return at
  }
}

/** Whether the data scan would try a file of this name as an image. */
export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).slice(1).toLowerCase())
}

/**
 * Image files below a folder, by the data scan's rules (src/main/data/scan.ts): hidden names left out,
 * linked folders followed once; unlike the scan, nothing is opened, so a home folder counts quickly.
 */
async function countImages(root: string): Promise<{ count: number; complete: boolean }> {
  const visited = new Set<string>([await realpath(root).catch(() => root)])
  const pending = [root]
  let count = 0
  let seen = 0
  while (pending.length > 0) {
    const folder = pending.pop()!
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      if (++seen > COUNT_BUDGET) return { count, complete: false }
      if (entry.name.startsWith('.')) continue
      const path = join(folder, entry.name)
      if (entry.isFile() && isImageName(entry.name)) count++
      else if (entry.isDirectory() || entry.isSymbolicLink()) {
        // A link that is not to a folder (a dangling one too) is a file the scan finds, and skips if it must.
        const target = await stat(path).catch(() => null)
        if (!target?.isDirectory()) {
          if (isImageName(entry.name)) count++
          continue
        }
        const real = await realpath(path).catch(() => null)
        if (real !== null && !visited.has(real)) (visited.add(real), pending.push(path))
      }
    }
  }
  return { count, complete: true }
}

export async function browseFolder(path?: string): Promise<FolderListing> {
  const asked = typedPath(path ?? '')
  const folder = await nearestFolder(asked)
  let entries
  try {
    entries = await readdir(folder, { withFileTypes: true })
  } catch (error) {
    throw new DataError(`The folder ${folder} cannot be opened: ${(error as Error).message}`)
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'))
  const folders = visible
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && !extname(e.name)))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
  const imagesHere = visible.filter((e) => e.isFile() && isImageName(e.name)).length
  const { count, complete } = await countImages(folder)
  const parent = dirname(folder)
  return { path: folder, parent: parent === folder ? null : parent, folders, imageCount: count, imagesHere, countComplete: complete, missing: folder === asked ? null : asked }
}

/** Whether a path exists, and whether its folder does: asked before an export, to confirm a replace. */
export async function describePath(path: string): Promise<PathInfo> {
  const full = typedPath(path)
  const [self, parent] = await Promise.all([stat(full).catch(() => null), stat(dirname(full)).catch(() => null)])
  return { path: full, exists: self !== null, isDirectory: self?.isDirectory() ?? false, parentExists: parent?.isDirectory() ?? false }
}

/** A data source as typed: a built-in name as is, a folder as `typedPath` reads it. */
export function typedDataSource(source: string): string {
  return source.trim().startsWith('builtin:') ? source : typedPath(source)
}
