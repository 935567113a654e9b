// The server-side folder browser of the browser mode: subfolders and how many images each level holds.
import { readdir, stat } from 'node:fs/promises'
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

export async function browseFolder(path?: string): Promise<FolderListing> {
  const folder = typedPath(path ?? '')
  let entries
  try {
    entries = await readdir(folder, { withFileTypes: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new DataError(`The folder ${folder} does not exist.`)
    if (code === 'ENOTDIR') throw new DataError(`${folder} is a file, not a folder.`)
    throw new DataError(`The folder ${folder} cannot be opened: ${(error as Error).message}`)
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'))
  const folders = visible
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && !extname(e.name)))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
  const imageCount = visible.filter((e) => e.isFile() && IMAGE_EXTENSIONS.includes(extname(e.name).slice(1).toLowerCase())).length
  const parent = dirname(folder)
  return { path: folder, parent: parent === folder ? null : parent, folders, imageCount }
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
