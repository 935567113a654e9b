// Downloads and uploads in the browser mode, against a real server: an export downloads once to the
// browser's machine; an image folder or a zip uploads into a folder the preview reads like a local one;
// a zip that reaches outside its folder, one that unpacks past the limit, and an upload cut off half-way
// all leave nothing behind.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as yauzl from 'yauzl'
import * as yazl from 'yazl'
import type { DatasetPreview, UploadTicket } from '../../src/shared/api'
import { dispatch } from '../../src/main/api/dispatch'
import { GanService } from '../../src/main/api/service'
import { RunManager } from '../../src/main/runs/manager'
import { startServer, type RunningServer } from '../../src/main/server'
import { Transfers } from '../../src/main/transfers'
import { BAD_FILES, writeImageFolder } from '../fixtures/image-folder'

const TOKEN = 'transfer-token'
const cookie = `gan_studio_token=${TOKEN}`
let dir: string
let photos: string
let manager: RunManager
let service: GanService
let transfers: Transfers
let server: RunningServer
let origin: string
let runId: number

const call = <T>(method: string, ...args: unknown[]) => dispatch(service, method, args) as Promise<T>

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gan-transfers-'))
  mkdirSync(join(dir, 'ui'))
  writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>GAN Studio</title>')
  photos = join(dir, 'laptop', 'holiday photos')
  await writeImageFolder(photos, 24)
  manager = new RunManager({ dbPath: join(dir, 'server', 'runs.db'), cacheDir: join(dir, 'cache') })
  // Small limits, so that a size bomb is quick to make.
  transfers = new Transfers(join(dir, 'server'), { maxBytes: 2_000_000, maxFiles: 100, maxFileBytes: 1_000_000 })
  service = new GanService({ manager, cacheDir: join(dir, 'cache'), dataDir: join(dir, 'server'), transport: 'websocket', version: '1', transfers })
  server = await startServer({ api: service, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: join(dir, 'ui'), transfers })
  origin = new URL(server.url).origin
  const run = await manager.createRun({ config: { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 8, iterations: 3, swdEvery: 0 }, source: 'builtin:mnist', name: 'tiny' })
  runId = run.id
  manager.startRun(runId)
  await manager.whenIdle(runId)
})
afterAll(async () => {
  await server.close()
  await service.close()
  await manager.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The files of a folder as a browser's directory picker gives them: relative paths and bytes. */
function pickedFiles(folder: string): { path: string; bytes: Buffer }[] {
  const files: { path: string; bytes: Buffer }[] = []
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) files.push({ path: relative(folder, full), bytes: readFileSync(full) })
      // A dangling link cannot be read by the browser either: it is not offered.
      else if (entry.isSymbolicLink()) void readlinkSync(full)
    }
  }
  walk(folder)
  return files
}

function put(url: string, body: Buffer): Promise<{ status: number; text: string }> {
  return fetch(`${origin}${url}`, { method: 'PUT', headers: { cookie, origin }, body }).then(async (r) => ({ status: r.status, text: await r.text() }))
}

function uploadsFolder(): string[] {
  return readdirSync(transfers.uploadsDir)
}

describe('downloads to the browser’s machine', () => {
  it('an export is written for the page to fetch, once, and the server keeps no copy', async () => {
    const ticket = await call<{ url: string; fileName: string; bytes: number }>('prepareDownload', { kind: 'metrics', runId, fileName: 'tiny metrics.csv' })
    expect(ticket.fileName).toBe('tiny metrics.csv')
    const response = await fetch(`${origin}${ticket.url}`, { headers: { cookie } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="tiny metrics.csv"/)
    const text = await response.text()
    expect(Buffer.byteLength(text)).toBe(ticket.bytes)
    expect(text.split('\r\n')[0]).toMatch(/^iteration,/)
    // A header, the untrained grid's row (iteration 0: its sample diversity) and 3 iterations.
    const lines = text.trim().split('\r\n')
    expect(lines).toHaveLength(5)
    expect(lines.map((line) => line.split(',')[0])).toEqual(['iteration', '0', '1', '2', '3'])
    await vi.waitFor(() => expect(readdirSync(transfers.downloadsDir)).toEqual([]))
    expect((await fetch(`${origin}${ticket.url}`, { headers: { cookie } })).status).toBe(404)
    // Not without the token.
    const again = await call<{ url: string }>('prepareDownload', { kind: 'metrics', runId, fileName: 'm.csv' })
    expect((await fetch(`${origin}${again.url}`)).status).toBe(401)
  })

  it('a model downloads as one zip holding model.json and its weights', async () => {
    const ticket = await call<{ url: string; fileName: string }>('prepareDownload', { kind: 'model', runId, iteration: null, fileName: 'tiny-generator' })
    expect(ticket.fileName).toBe('tiny-generator.zip')
    const zipBytes = Buffer.from(await (await fetch(`${origin}${ticket.url}`, { headers: { cookie } })).arrayBuffer())
    const zip = await yauzl.fromBufferPromise(zipBytes, { lazyEntries: true })
    const names: string[] = await new Promise((resolve, reject) => {
      const found: string[] = []
      zip.on('entry', (e: yauzl.Entry) => (found.push(e.fileName), zip.readEntry()))
      zip.on('end', () => resolve(found.sort()))
      zip.on('error', reject)
      zip.readEntry()
    })
    expect(names[0]).toMatch(/^tiny-generator\/group1-shard1of\d+\.bin$/)
    expect(names).toContain('tiny-generator/model.json')
  })
})

describe('uploads from the browser’s machine', () => {
  async function uploadFolder(folder: string): Promise<string> {
    const files = pickedFiles(folder)
    const ticket = await call<UploadTicket>('beginUpload', { name: 'holiday photos', kind: 'folder', files: files.length, bytes: files.reduce((n, f) => n + f.bytes.length, 0) })
    for (const file of files) expect(await put(`${ticket.url}/file?path=${encodeURIComponent(file.path)}`, file.bytes)).toEqual({ status: 200, text: 'received' })
    const done = await call<{ path: string; files: number }>('finishUpload', ticket.uploadId)
    expect(done.files).toBe(files.length)
    return done.path
  }

  it('a folder arrives as a folder on the server, and its preview reports the same skipped files as a local one', async () => {
    const path = await uploadFolder(photos)
    expect(path).toBe(join(transfers.uploadsDir, 'holiday photos'))
    const preview = await call<DatasetPreview>('previewDataset', { source: path, size: 32, previewId: 'upload' })
    expect(preview.count).toBe(24)
    // The dangling link stays on the laptop (a browser cannot read it); every other bad file is reported.
    const { 'dangling.png': _, ...expected } = BAD_FILES
    expect(Object.fromEntries(preview.skipped.map((s) => [s.path, s.reason]))).toEqual(expected)
    // A second upload of the same name gets a folder of its own.
    expect(await uploadFolder(photos)).toBe(join(transfers.uploadsDir, 'holiday photos-2'))
    expect(uploadsFolder().sort()).toEqual(['holiday photos', 'holiday photos-2'])
  })

  it('a zip is unpacked into a folder', async () => {
    const zip = await zipOf(pickedFiles(photos).map((f) => ({ name: `holiday/${f.path}`, bytes: f.bytes })))
    const ticket = await call<UploadTicket>('beginUpload', { name: 'holiday.zip', kind: 'zip', files: 1, bytes: zip.length })
    expect(await put(`${ticket.url}/zip`, zip)).toEqual({ status: 200, text: 'received' })
    const done = await call<{ path: string; files: number }>('finishUpload', ticket.uploadId)
    expect(done.path).toBe(join(transfers.uploadsDir, 'holiday'))
    const preview = await call<DatasetPreview>('previewDataset', { source: done.path, size: 32, previewId: 'zip' })
    expect(preview.count).toBe(24)
    rmSync(done.path, { recursive: true })
  })

  it('refuses a zip that writes outside its folder, and one that unpacks past the limit, keeping nothing', async () => {
    const before = uploadsFolder()
    // yazl refuses such names, as it should: the entry's name is patched after (same length: aa/ -> ../).
    const slip = await zipOf([{ name: 'aa/evil.png', bytes: Buffer.from('evil') }])
    const patched = Buffer.from(slip.toString('latin1').replaceAll('aa/evil.png', '../evil.png'), 'latin1')
    expect(patched.includes(Buffer.from('../evil.png'))).toBe(true)
    const bomb = await zipOf([{ name: 'zeros.png', bytes: Buffer.alloc(5_000_000) }])
    expect(bomb.length).toBeLessThan(100_000)
    for (const [zip, message] of [
      [patched, /would be written outside its folder/],
      [bomb, /unpacks to more than the upload limit allows; nothing was kept/]
    ] as const) {
      const ticket = await call<UploadTicket>('beginUpload', { name: 'bad.zip', kind: 'zip', files: 1, bytes: zip.length })
      expect((await put(`${ticket.url}/zip`, zip)).status).toBe(200)
      await expect(call('finishUpload', ticket.uploadId)).rejects.toThrow(message)
      expect(uploadsFolder()).toEqual(before)
    }
    expect(readdirSync(dir)).not.toContain('evil.png')
    expect(readdirSync(join(dir, 'server'))).not.toContain('evil.png')
  })

  it('refuses an upload past the limits before a byte is sent, saying what the limit is', async () => {
    await expect(call('beginUpload', { name: 'big', kind: 'folder', files: 3, bytes: 3_000_000 })).rejects.toThrow(/is more than one upload takes \(1\.9 MB\)/)
    await expect(call('beginUpload', { name: 'many', kind: 'folder', files: 101, bytes: 10 })).rejects.toThrow(/101 files are more than one upload takes \(100\)/)
  })

  it('an upload cut off half-way leaves nothing half-made', async () => {
    const before = uploadsFolder()
    const ticket = await call<UploadTicket>('beginUpload', { name: 'cut off', kind: 'folder', files: 1, bytes: 100_000 })
    expect(readdirSync(transfers.uploadsDir).filter((n) => n.startsWith('.partial-'))).toHaveLength(1)
    // Half the announced bytes, then the connection drops (the laptop went to sleep).
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${origin}${ticket.url}/file?path=a.png`, { method: 'PUT', headers: { cookie, origin, 'content-length': '100000' } })
      req.on('error', () => resolve())
      req.write(Buffer.alloc(50_000), () => req.destroy())
      req.on('close', () => resolve())
    })
    await vi.waitFor(() => expect(readdirSync(transfers.uploadsDir).filter((n) => n.startsWith('.partial-'))).toEqual([]))
    await expect(call('finishUpload', ticket.uploadId)).rejects.toThrow(/interrupted|nothing was kept/)
    expect(uploadsFolder()).toEqual(before)
  })

  it('a server killed during an upload clears what it left at the next start', async () => {
    mkdirSync(join(transfers.uploadsDir, '.partial-0123456789abcdef01234567', 'files'), { recursive: true })
    mkdirSync(join(transfers.downloadsDir, '0123456789abcdef01234567'), { recursive: true })
    await new Transfers(join(dir, 'server')).clearLeftovers()
    expect(readdirSync(transfers.uploadsDir).filter((n) => n.startsWith('.'))).toEqual([])
    expect(() => lstatSync(transfers.downloadsDir)).toThrow(/ENOENT/)
  })
})

function zipOf(entries: { name: string; bytes: Buffer }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  for (const e of entries) zip.addBuffer(e.bytes, e.name)
  zip.end()
  const chunks: Buffer[] = []
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c))
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)))
    zip.outputStream.on('error', reject)
  })
}
