// The server-side folder browser of the browser mode: subfolders and how many images each level holds.
import { readdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, extname, resolve } from 'node:path'
import type { FolderListing, PathInfo } from '../../shared/api'
import { DataError, IMAGE_EXTENSIONS } from '../data'

export async function browseFolder(path?: string): Promise<FolderListing> {
  const folder = resolve(path && path.trim() !== '' ? path : homedir())
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
  const full = resolve(path)
  const [self, parent] = await Promise.all([stat(full).catch(() => null), stat(dirname(full)).catch(() => null)])
  return { path: full, exists: self !== null, isDirectory: self?.isDirectory() ?? false, parentExists: parent?.isDirectory() ?? false }
}
