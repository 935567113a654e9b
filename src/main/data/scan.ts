// Recursive scan of an image folder: which files to decode, which to skip and why, and a fingerprint of the
// folder's contents (relative path + size + mtime of every file) that tells whether a cache is still valid.

import { createHash } from 'node:crypto'
import { promises as fs, type Stats } from 'node:fs'
import path from 'node:path'
import { DataError } from './errors'
import { ProgressReporter } from './progress'
import type { IngestProgress, SkippedFile } from './types'

/** Extensions we hand to sharp (GIF: first frame; TIFF: first page). */
export const IMAGE_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'tiff', 'tif', 'avif']

export interface ScannedImage {
  relPath: string
  absPath: string
  size: number
}

export interface FolderScan {
  /** Files with an image extension and a non-zero size, sorted by relative path. */
  images: ScannedImage[]
  /** Files skipped without decoding: unsupported type, empty, unreadable. */
  skipped: SkippedFile[]
  /** The folder's first-level subfolders (not hidden, sorted): the classes of a conditional run. */
  subfolders: string[]
  fingerprint: string
}

interface Entry {
  relPath: string
  absPath: string
}

export async function scanFolder(
  root: string,
  options: { signal?: AbortSignal; onProgress?: (p: IngestProgress) => void; excludeDir?: string } = {}
): Promise<FolderScan> {
  await checkRootFolder(root)
  // A cache folder inside the image folder must not count as contents, or every cache write would invalidate it.
  const excluded = options.excludeDir ? await fs.realpath(options.excludeDir).catch(() => null) : null
  const progress = new ProgressReporter('scanning', options.onProgress)
  const images: ScannedImage[] = []
  const skipped: SkippedFile[] = []
  const fingerprintLines: string[] = []
  const subfolders: string[] = []
  // Real paths of directories already walked: a symlink back to a parent would otherwise loop forever.
  const visited = new Set<string>([await fs.realpath(root)])
  const pending: Entry[] = [{ relPath: '', absPath: root }]
  let found = 0

  while (pending.length > 0) {
    options.signal?.throwIfAborted()
    const dir = pending.pop()!
    let names: string[]
    try {
      names = (await fs.readdir(dir.absPath)).filter((name) => !isHidden(name))
    } catch (error) {
      skipped.push({ path: dir.relPath, reason: 'unreadable', detail: `folder cannot be listed: ${errorText(error)}` })
      fingerprintLines.push(`${dir.relPath}/\tunreadable`)
      continue
    }
    const entries = names.map((name) => ({
      relPath: dir.relPath === '' ? name : `${dir.relPath}/${name}`,
      absPath: path.join(dir.absPath, name)
    }))
    // stat follows symlinks: a dangling link or a link loop ends up as an 'unreadable' file.
    const results = await Promise.all(
      entries.map((e) => fs.stat(e.absPath).then((stat) => ({ stat }), (error: unknown) => ({ error })))
    )
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]
      const result = results[i]
      if ('error' in result) {
        skipped.push({ path: entry.relPath, reason: 'unreadable', detail: errorText(result.error) })
        fingerprintLines.push(`${entry.relPath}\tunreadable`)
        continue
      }
      const s = result.stat
      if (s.isDirectory()) {
        const real = await fs.realpath(entry.absPath).catch(() => null)
        if (dir.relPath === '' && real !== excluded) subfolders.push(entry.relPath)
        if (real !== null && real !== excluded && !visited.has(real)) {
          visited.add(real)
          pending.push(entry)
        }
        continue
      }
      if (!s.isFile()) continue // sockets, fifos, devices: not data
      found++
      // Rounded to whole milliseconds, as a JS Date holds it: a time saved and restored through a Date still matches.
      fingerprintLines.push(`${entry.relPath}\t${s.size}\t${Math.round(s.mtimeMs)}`)
      const extension = path.extname(entry.relPath).slice(1).toLowerCase()
      if (!IMAGE_EXTENSIONS.includes(extension)) {
        const detail = extension === '' ? 'no file extension' : `.${extension} is not an image type we read`
        skipped.push({ path: entry.relPath, reason: 'unsupported', detail })
      } else if (s.size === 0) {
        skipped.push({ path: entry.relPath, reason: 'empty', detail: 'the file is 0 bytes' })
      } else {
        images.push({ relPath: entry.relPath, absPath: entry.absPath, size: s.size })
      }
    }
    progress.update(found, found, false)
  }
  progress.update(found, found, true)

  images.sort((a, b) => compareCodeUnits(a.relPath, b.relPath))
  skipped.sort((a, b) => compareCodeUnits(a.path, b.path))
  fingerprintLines.sort(compareCodeUnits)
  subfolders.sort(compareCodeUnits)
  // An empty subfolder is a class with no images: it changes what a conditional run would be given.
  for (const name of subfolders) fingerprintLines.push(`${name}/`)
  const fingerprint = createHash('sha256').update(fingerprintLines.join('\n')).digest('hex')
  return { images, skipped, subfolders, fingerprint }
}

export async function checkRootFolder(root: string): Promise<void> {
  let stat: Stats
  try {
    stat = await fs.stat(root)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new DataError(`The folder ${root} does not exist.`, { hint: 'Pick an existing image folder.' })
    }
    throw new DataError(`The folder ${root} cannot be opened: ${errorText(error)}`, { cause: error })
  }
  if (!stat.isDirectory()) {
    throw new DataError(`${root} is a file, not a folder.`, { hint: 'Pick the folder that holds your images.' })
  }
}

/** Dot files (.DS_Store, .git, ._thumbnails) are never data: ignored without a mention. */
function isHidden(name: string): boolean {
  return name.startsWith('.')
}

/** Locale-independent order, so the same folder gives the same image order on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (e?.code === 'ENOENT') return 'broken link or file vanished (ENOENT)'
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied (${e.code})`
  if (e?.code === 'ELOOP') return 'symbolic link loop (ELOOP)'
  return e?.message ?? String(error)
}
