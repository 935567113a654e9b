// Zip files across the browser mode's boundary: an uploaded zip of images unpacked into a folder (never
// outside it, never past the size limits, whatever the zip's headers claim), and a folder (an exported
// model) packed into one file to download.
import { createWriteStream } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as yauzl from 'yauzl'
import * as yazl from 'yazl'
import { TransferError, type UploadLimits } from './limits'

/**
 * Where a relative path (a zip entry, an uploaded file's path in its folder) lands inside `root`, or null
 * when it would land outside (zip-slip: `../x`, `/etc/x`, `C:\x`) or is not a plain file path.
 */
export function pathInside(root: string, relativePath: string): string | null {
  const parts = relativePath.replace(/\\/g, '/').split('/')
  if (parts.some((p) => p === '..' || p.includes('\0')) || /^([a-zA-Z]:|\/)/.test(relativePath.replace(/\\/g, '/'))) return null
  const clean = parts.filter((p) => p !== '' && p !== '.')
  if (clean.length === 0) return null
  const target = resolve(root, ...clean)
  const inside = relative(resolve(root), target)
  return inside && !inside.startsWith('..') && !inside.startsWith(sep) ? target : null
}

/** Counts bytes through a stream and stops it past `limit`: a zip's headers may lie about sizes. */
function byteBudget(budget: { left: number }, what: string): Transform {
  return new Transform({
    transform(chunk: Buffer, _, done) {
      budget.left -= chunk.length
      if (budget.left < 0) return done(new TransferError(`${what} unpacks to more than the upload limit allows; nothing was kept.`))
      done(null, chunk)
    }
  })
}

/**
 * Unpacks the files of a zip into `folder` (which it creates). Folders, links and other special entries
 * are left out; a path leaving the folder, an encrypted entry, too many entries or too many bytes refuse
 * the whole zip (the caller removes what was written). Returns the number of files written.
 */
export async function unpackZip(zipPath: string, folder: string, limits: UploadLimits, name = 'The zip'): Promise<number> {
  let zip: yauzl.ZipFile
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false })
  } catch (error) {
    throw new TransferError(`${name} cannot be read as a zip file (${(error as Error).message}).`)
  }
  try {
    if (zip.entryCount > limits.maxFiles) throw new TransferError(`${name} holds ${zip.entryCount.toLocaleString('en-US')} entries; at most ${limits.maxFiles.toLocaleString('en-US')} can be uploaded at once.`)
    await mkdir(folder, { recursive: true })
    const budget = { left: limits.maxBytes }
    let files = 0
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolveEntry, reject) => {
        zip.once('entry', resolveEntry)
        zip.once('end', () => resolveEntry(null))
        zip.once('error', reject)
        zip.readEntry()
      }).catch((error: Error) => {
        // yauzl checks names itself: an absolute path or `..` in one is a zip-slip attempt, not damage.
        if (/invalid relative path|absolute path/.test(error.message)) {
          throw new TransferError(`${name} has an entry that would be written outside its folder (${error.message}); nothing was kept.`)
        }
        throw new TransferError(`${name} is damaged (${error.message}); nothing was kept.`)
      })
      zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error')
      if (entry === null) break
      if (entry.fileName.endsWith('/')) continue // a folder: made as its files need it
      // Unix mode in the top 16 bits: only regular files (0o100000), or entries without a mode.
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000
      if (mode !== 0 && mode !== 0o100000) continue
      const target = pathInside(folder, entry.fileName)
      if (!target) throw new TransferError(`${name} has an entry that would be written outside its folder ("${entry.fileName}"); nothing was kept.`)
      if (entry.isEncrypted()) throw new TransferError(`${name} is encrypted ("${entry.fileName}"); upload an unencrypted zip.`)
      if (entry.uncompressedSize > budget.left) throw new TransferError(`${name} unpacks to more than the upload limit allows; nothing was kept.`)
      await mkdir(dirname(target), { recursive: true })
      const stream = await zip.openReadStreamPromise(entry)
      try {
        await pipeline(stream, byteBudget(budget, name), createWriteStream(target, { flags: 'wx' }))
      } catch (error) {
        if (error instanceof TransferError) throw error
        throw new TransferError(`${name} could not be unpacked at "${entry.fileName}" (${(error as Error).message}); nothing was kept.`)
      }
      files++
    }
    return files
  } finally {
    zip.close()
  }
}

async function filesBelow(folder: string, prefix = ''): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(join(folder, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) found.push(...(await filesBelow(folder, path)))
    else if (entry.isFile()) found.push(path)
  }
  return found.sort()
}

/** Packs every file below `folder` into the zip file `zipPath`, under `top/`. */
export async function zipFolder(folder: string, zipPath: string, top: string): Promise<void> {
  const zip = new yazl.ZipFile()
  for (const file of await filesBelow(folder)) zip.addFile(join(folder, file), `${top}/${file}`)
  zip.end()
  await pipeline(zip.outputStream, createWriteStream(zipPath, { flags: 'wx' }))
}
