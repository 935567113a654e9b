// The browser mode's files between this machine and the server: exports downloaded here, image folders
// (or zips) uploaded there. The API arranges each transfer; the bytes go over plain HTTP, where the
// browser streams them and reports progress.
import type { DownloadRequest, DownloadTicket, ExportRequest, ExportResult } from '../../../shared/api'
import { api } from './api'
import { formatBytes } from './format'

/** Downloads an export to this machine: the server writes it, the browser fetches it once. */
export async function downloadExport(request: ExportRequest, fileName: string): Promise<DownloadTicket> {
  const { path: _path, overwrite: _overwrite, ...what } = request
  const ticket = await api.prepareDownload({ ...what, fileName } as DownloadRequest)
  const link = document.createElement('a')
  link.href = ticket.url
  link.download = ticket.fileName
  document.body.append(link)
  link.click()
  link.remove()
  return ticket
}

/**
 * Runs an export where the user chose: downloaded to this machine as `downloadAs`, or (null) written on the
 * server once `mayReplace` allows (null from it: the user declined). Returns the sentence that reports it,
 * null when nothing was written.
 */
export async function exportWhereChosen(
  request: (overwrite: boolean) => ExportRequest,
  target: { downloadAs: string | null; mayReplace: () => Promise<boolean | null>; savedWhere?: (written: ExportResult) => string }
): Promise<string | null> {
  if (target.downloadAs !== null) {
    const ticket = await downloadExport(request(false), target.downloadAs)
    return `Downloaded ${ticket.fileName} (${formatBytes(ticket.bytes)}) to this computer`
  }
  const overwrite = await target.mayReplace()
  if (overwrite === null) return null
  const written = await api.exportFile(request(overwrite))
  return `Saved ${target.savedWhere?.(written) ?? written.files[0]} (${formatBytes(written.bytes)})`
}

export interface UploadProgress {
  phase: 'sending' | 'unpacking'
  sentBytes: number
  totalBytes: number
  sentFiles: number
  totalFiles: number
}

/** A file to upload with its path in the folder (a zip: its own name). */
export interface UploadFile {
  path: string
  file: File
}

/**
 * The files a directory picker gave, as paths inside the picked folder (its own name dropped), and that
 * name. Hidden files (.DS_Store, .git) are left here: training would ignore them anyway.
 */
export function pickedFolder(files: FileList | File[]): { name: string; files: UploadFile[] } {
  const list = Array.from(files)
  const name = list[0]?.webkitRelativePath.split('/')[0] || 'upload'
  const picked = list
    .map((file) => ({ path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name, file }))
    .filter((f) => !f.path.split('/').some((part) => part.startsWith('.')))
  return { name, files: picked }
}

/** Files in flight at once: enough to hide each request's round trip, few enough to keep progress smooth. */
const PARALLEL = 4

function send(url: string, file: File, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    xhr.upload.onprogress = (event) => onSent(event.loaded)
    xhr.onload = () => (xhr.status === 200 ? resolve() : reject(new Error(xhr.responseText || `the server answered ${xhr.status}`)))
    xhr.onerror = () => reject(new Error('the connection to the server broke during the upload; nothing was kept. Upload again.'))
    xhr.onabort = () => reject(new Error('upload cancelled; nothing was kept.'))
    signal.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(file)
  })
}

/**
 * Uploads a folder's files (or one zip) and makes them a folder on the server; returns its path there.
 * Whatever goes wrong, or a cancel, leaves nothing on the server.
 */
export async function upload(
  name: string,
  kind: 'folder' | 'zip',
  files: UploadFile[],
  onProgress: (progress: UploadProgress) => void,
  signal: AbortSignal
): Promise<{ path: string; files: number }> {
  const totalBytes = files.reduce((n, f) => n + f.file.size, 0)
  const ticket = await api.beginUpload({ name, kind, files: files.length, bytes: totalBytes })
  const sentPerFile = new Map<number, number>()
  let sentFiles = 0
  const report = (phase: UploadProgress['phase']) =>
    onProgress({ phase, sentBytes: [...sentPerFile.values()].reduce((a, b) => a + b, 0), totalBytes, sentFiles, totalFiles: files.length })
  // One failed file stops the others: the upload is whole or not at all.
  const stop = new AbortController()
  const cancel = () => stop.abort()
  signal.addEventListener('abort', cancel, { once: true })
  try {
    let next = 0
    const worker = async () => {
      while (next < files.length && !stop.signal.aborted) {
        const index = next++
        const { path, file } = files[index]
        const url = kind === 'zip' ? `${ticket.url}/zip` : `${ticket.url}/file?path=${encodeURIComponent(path)}`
        await send(url, file, (bytes) => (sentPerFile.set(index, bytes), report('sending')), stop.signal)
        sentPerFile.set(index, file.size)
        sentFiles++
        report('sending')
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, () => worker().catch((error) => (stop.abort(), Promise.reject(error)))))
    if (stop.signal.aborted) throw new Error('upload cancelled; nothing was kept.')
    report('unpacking')
    return await api.finishUpload(ticket.uploadId)
  } catch (error) {
    stop.abort()
    await api.cancelUpload(ticket.uploadId).catch(() => undefined)
    throw error
  } finally {
    signal.removeEventListener('abort', cancel)
  }
}
