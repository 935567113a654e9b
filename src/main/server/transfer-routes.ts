// The HTTP side of downloads and uploads (the API arranges them; the bytes go here, where a browser can
// stream them with progress): GET /download/<id>/<name> once, PUT /upload/<id>/file?path=... or /zip.
import { createReadStream } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname } from 'node:path'
import { TransferError, type Transfers } from '../transfers'

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip'
}

export type Reply = (status: number, text: string) => void

/** Answers a transfer request; false when the path is not one (the caller goes on). */
export async function serveTransfer(
  transfers: Transfers | undefined,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  reply: Reply,
  headers: Record<string, string>
): Promise<boolean> {
  const download = /^\/download\/([^/]+)\/[^/]+$/.exec(url.pathname)
  const upload = /^\/upload\/([^/]+)\/(file|zip)$/.exec(url.pathname)
  if (!download && !upload) return false
  if (!transfers) {
    reply(404, 'not found: downloads and uploads are for the browser mode')
    return true
  }
  if (download) {
    if (request.method !== 'GET') return (reply(405, 'method not allowed'), true)
    const file = await transfers.downloadFile(download[1])
    if (!file) return (reply(404, 'This download is gone (each is fetched once): export it again.'), true)
    response.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(file.fileName).toLowerCase()] ?? 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`
    })
    createReadStream(file.path).pipe(response)
    // Fetched once: the server keeps no copy of what went to the browser (nor of one that broke off).
    response.once('close', () => void transfers.downloaded(download[1]))
    return true
  }
  if (request.method !== 'PUT') return (reply(405, 'method not allowed'), true)
  const length = Number(request.headers['content-length'])
  if (!Number.isInteger(length) || length < 0) return (reply(411, 'An upload needs its length (Content-Length).'), true)
  const path = upload![2] === 'zip' ? null : url.searchParams.get('path')
  if (upload![2] === 'file' && !path) return (reply(400, 'An uploaded file needs its path in the folder (?path=...).'), true)
  try {
    await transfers.receive(upload![1], path, request, length)
    reply(200, 'received')
  } catch (error) {
    if (!(error instanceof TransferError)) throw error
    // The rest of the body is not read: close the connection rather than drain a refused upload.
    response.setHeader('Connection', 'close')
    reply(request.destroyed ? 499 : 400, error.message)
  }
  return true
}
