// Files between the browser's machine and the server in the browser mode: exports written to a downloads
// folder and fetched once, and image folders (or zips) uploaded into a hidden staging folder that becomes
// a real folder only when complete. Nothing half-made is ever left where a user or a run would see it:
// an interrupted upload's staging folder is removed, and whatever a killed server left is cleared at start.
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Readable } from 'node:stream'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { DownloadTicket, UploadRequest, UploadTicket } from '../../shared/api'
import { formatBytes } from '../../shared/format'
import { DEFAULT_UPLOAD_LIMITS, TransferError, type UploadLimits } from './limits'
import { pathInside, unpackZip, zipFolder } from './zip'

export { TransferError, DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './limits'


interface Upload {
  request: UploadRequest
  staging: string
  receivedFiles: number
  receivedBytes: number
  /** Why it cannot complete (a request broke off half-way, a limit was passed). */
  failed: string | null
  touched: number
}

const ID = /^[0-9a-f]{24}$/
const PARTIAL = '.partial-'
/** An upload nobody has sent to for this long is abandoned (the page closed between two files). */
const ABANDONED_MS = 60 * 60 * 1000

function newId(): string {
  return randomBytes(12).toString('hex')
}

/** A name that is safe as one path segment on every system. */
function safeName(name: string, fallback: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N} ._-]+/gu, '-').replace(/^[.\s-]+|[\s.]+$/g, '').slice(0, 100)
  return cleaned === '' ? fallback : cleaned
}

export class Transfers {
  readonly downloadsDir: string
  readonly uploadsDir: string
  private readonly uploads = new Map<string, Upload>()

  constructor(
    dataDir: string,
    readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS
  ) {
    this.downloadsDir = join(dataDir, 'downloads')
    this.uploadsDir = join(dataDir, 'uploads')
  }

  /** At server start: downloads nobody fetched, and uploads a killed server left half-made, go. */
  async clearLeftovers(): Promise<void> {
    await rm(this.downloadsDir, { recursive: true, force: true })
    const entries = await readdir(this.uploadsDir).catch(() => [])
    await Promise.all(entries.filter((e) => e.startsWith(PARTIAL)).map((e) => rm(join(this.uploadsDir, e), { recursive: true, force: true })))
  }

  // Downloads

  /** Writes a file (with `write`) where the page can fetch it once; a folder is zipped on the way. */
  async prepareDownload(fileName: string, write: (path: string) => Promise<void>, folder = false): Promise<DownloadTicket> {
    const id = newId()
    const dir = join(this.downloadsDir, id)
    await mkdir(dir, { recursive: true })
    try {
      const name = safeName(fileName, 'export')
      let file = join(dir, name)
      if (folder) {
        await write(join(dir, 'folder', name))
        file = join(dir, `${name}.zip`)
        await zipFolder(join(dir, 'folder', name), file, name)
        await rm(join(dir, 'folder'), { recursive: true, force: true })
      } else {
        await write(file)
      }
      const bytes = (await stat(file)).size
      return { fileName: basename(file), bytes, url: `/download/${id}/${encodeURIComponent(basename(file))}` }
    } catch (error) {
      await rm(dir, { recursive: true, force: true })
      throw error
    }
  }

  /** The file a download URL names, if it is still there. */
  async downloadFile(id: string): Promise<{ path: string; fileName: string } | null> {
    if (!ID.test(id)) return null
    const names = await readdir(join(this.downloadsDir, id)).catch(() => [])
    return names.length === 1 ? { path: join(this.downloadsDir, id, names[0]), fileName: names[0] } : null
  }

  /** A download is fetched once: the server keeps no copy of what went to the browser. */
  async downloaded(id: string): Promise<void> {
    if (ID.test(id)) await rm(join(this.downloadsDir, id), { recursive: true, force: true })
  }

  // Uploads

  async beginUpload(request: UploadRequest): Promise<UploadTicket> {
    await this.dropAbandoned()
    const { limits } = this
    if (request.files > limits.maxFiles) {
      throw new TransferError(`${request.files.toLocaleString('en-US')} files are more than one upload takes (${limits.maxFiles.toLocaleString('en-US')}); upload the folder in parts, or copy it to the server.`)
    }
    if (request.bytes > limits.maxBytes) {
      throw new TransferError(`${formatBytes(request.bytes)} is more than one upload takes (${formatBytes(limits.maxBytes)}); upload the folder in parts, or copy it to the server.`)
    }
    await mkdir(this.uploadsDir, { recursive: true })
    // A zip unpacks to more than it weighs; the limit is what it may unpack to.
    const needed = request.kind === 'zip' ? request.bytes + limits.maxBytes : request.bytes
    const disk = await statfs(this.uploadsDir)
    const free = disk.bavail * disk.bsize
    if (needed > free) {
      throw new TransferError(`The server has ${formatBytes(free)} free in ${this.uploadsDir}; this upload needs ${formatBytes(needed)}. Free some space there first.`)
    }
    const id = newId()
    const staging = join(this.uploadsDir, `${PARTIAL}${id}`)
    await mkdir(join(staging, 'files'), { recursive: true })
    this.uploads.set(id, { request, staging, receivedFiles: 0, receivedBytes: 0, failed: null, touched: Date.now() })
    return { uploadId: id, url: `/upload/${id}` }
  }

  /**
   * One file of an upload (`path` in its folder), or the zip (`path` null), as the request body arrives.
   * A body that breaks off, or passes a limit, fails the whole upload and removes what it had received.
   */
  async receive(id: string, path: string | null, body: Readable, declaredBytes: number): Promise<void> {
    const upload = this.uploads.get(id)
    if (!upload) throw new TransferError('This upload is over (finished, cancelled or interrupted); start it again.')
    if (upload.failed) throw new TransferError(upload.failed)
    const { request } = upload
    const zip = path === null
    if (zip !== (request.kind === 'zip')) throw new TransferError(request.kind === 'zip' ? 'This upload takes one zip file.' : 'This upload takes the files of a folder.')
    const target = zip ? join(upload.staging, 'upload.zip') : pathInside(join(upload.staging, 'files'), path)
    if (!target) throw new TransferError(`"${path}" is not a file path inside the uploaded folder.`)
    const maxBytes = Math.min(this.limits.maxFileBytes, request.bytes - upload.receivedBytes)
    if (declaredBytes > maxBytes || upload.receivedFiles >= request.files) {
      return this.fail(id, 'The upload sent more than it announced; nothing was kept.')
    }
    upload.touched = Date.now()
    let counted = 0
    const counter = new Transform({
      transform(chunk: Buffer, _, done) {
        counted += chunk.length
        done(counted > maxBytes ? new TransferError('The upload sent more than it announced; nothing was kept.') : null, chunk)
      }
    })
    try {
      await mkdir(join(target, '..'), { recursive: true })
      await pipeline(body, counter, createWriteStream(target, { flags: 'wx' }))
      if (counted !== declaredBytes) throw new TransferError('A file of the upload arrived incomplete; nothing was kept.')
    } catch (error) {
      const message = error instanceof TransferError ? error.message : `The upload was interrupted (${(error as Error).message}); nothing was kept. Upload the folder again.`
      return this.fail(id, message)
    }
    upload.receivedFiles++
    upload.receivedBytes += counted
    upload.touched = Date.now()
  }

  /** Completes an upload: its files become a folder in the uploads folder, ready to preview and train on. */
  async finishUpload(id: string): Promise<{ path: string; files: number }> {
    const upload = this.uploads.get(id)
    if (!upload) throw new TransferError('This upload is over (finished, cancelled or interrupted); start it again.')
    const { request, staging } = upload
    try {
      if (upload.failed) throw new TransferError(upload.failed)
      if (upload.receivedFiles !== request.files || upload.receivedBytes !== request.bytes) {
        throw new TransferError(`Only ${upload.receivedFiles} of ${request.files} files arrived; nothing was kept. Upload the folder again.`)
      }
      let files = upload.receivedFiles
      if (request.kind === 'zip') {
        files = await unpackZip(join(staging, 'upload.zip'), join(staging, 'files'), this.limits, `"${request.name}"`)
        await rm(join(staging, 'upload.zip'))
      }
      const base = safeName(request.name.replace(/\.zip$/i, ''), 'upload')
      let folder = join(this.uploadsDir, base)
      for (let n = 2; existsSync(folder); n++) folder = join(this.uploadsDir, `${base}-${n}`)
      // The one step that makes it visible: a rename, so the folder is whole or not there at all.
      await rename(join(staging, 'files'), folder)
      return { path: folder, files }
    } catch (error) {
      if (error instanceof TransferError) throw error
      throw new TransferError(`The upload could not be completed (${(error as Error).message}); nothing was kept.`)
    } finally {
      this.uploads.delete(id)
      await rm(staging, { recursive: true, force: true })
    }
  }

  async cancelUpload(id: string): Promise<void> {
    const upload = this.uploads.get(id)
    this.uploads.delete(id)
    if (upload) await rm(upload.staging, { recursive: true, force: true })
  }

  /** Marks an upload failed and removes what it received; throws the reason. */
  private async fail(id: string, message: string): Promise<never> {
    const upload = this.uploads.get(id)
    if (upload) {
      upload.failed = message
      await rm(upload.staging, { recursive: true, force: true })
    }
    throw new TransferError(message)
  }

  private async dropAbandoned(): Promise<void> {
    const now = Date.now()
    for (const [id, upload] of this.uploads) if (now - upload.touched > ABANDONED_MS) await this.cancelUpload(id)
  }
}
