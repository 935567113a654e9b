import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '../../shared/api'
import { BAD_FILES, writeImageFolder } from '../../../tests/fixtures/image-folder'
import { RunManager } from '../runs/manager'
import { ApiCallError, dispatch } from './dispatch'
import { GanService } from './service'

let dir: string
let photos: string
let manager: RunManager
let service: GanService
const events: ApiEvent[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gan-api-'))
  photos = join(dir, 'photos')
  await writeImageFolder(photos, 40)
  manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
  service = new GanService({ manager, cacheDir: join(dir, 'cache'), dataDir: dir, transport: 'websocket', version: '0.0.0' })
  service.onEvent((e) => events.push(e))
})
afterAll(async () => {
  await manager.close()
  rmSync(dir, { recursive: true, force: true })
})

const call = (method: string, ...args: unknown[]) => dispatch(service, method, args)

async function failure(promise: Promise<unknown>): Promise<ApiCallError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(ApiCallError)
  return error as ApiCallError
}

describe('the API as the core receives it', () => {
  it('refuses unknown methods and malformed arguments with a message naming the problem', async () => {
    expect((await failure(call('dropTables'))).payload).toMatchObject({ code: 'invalid-argument', detail: 'unknown method "dropTables"' })
    expect((await failure(call('getRun', 'one'))).payload).toEqual({ code: 'invalid-argument', message: 'Run id must be a number.', detail: 'getRun: 0: run id must be a number' })
    // The user reads plain sentences: no method names, no field paths.
    expect((await failure(call('renameRun', 1, ''))).payload.message).toBe('A run name cannot be empty.')
    expect((await failure(call('browseFolder', null))).payload.message).toBe('Argument 1 is not valid (expected string, received null).')
    expect((await failure(call('getRun', -3))).payload.code).toBe('invalid-argument')
    const badSize = await failure(call('previewDataset', { source: photos, size: 48, previewId: 'x' }))
    expect(badSize.payload.message).toBe('Image size must be 32 or 64.')
  })

  it('validates a new run’s config in the core and creates nothing when it is wrong', async () => {
    const bad = await failure(call('createRun', { source: photos, config: { batchSize: 0, imageSize: 32 } }))
    expect(bad.payload).toEqual({ code: 'failed', message: 'batchSize: batch size must be at least 1' })
    expect(await call('listRuns')).toEqual([])
    const missing = await failure(call('createRun', { source: join(dir, 'nope'), config: {} }))
    expect(missing.payload.message).toMatch(/nope does not exist/)
  })

  it('previews a folder: usable count, skipped files with reasons, a grid PNG, progress events', async () => {
    const preview = (await call('previewDataset', { source: photos, size: 32, previewId: 'p1' })) as Awaited<ReturnType<GanService['previewDataset']>>
    expect(preview.count).toBe(40)
    // The folder browser counts the same image files the preview found, usable or not.
    const listing = (await call('browseFolder', photos)) as { imageCount: number }
    expect(preview.imageFiles).toBe(listing.imageCount)
    expect(preview.imageFiles).toBe(40 + preview.skipped.filter((s) => /\.(png|jpe?g|gif|webp|tiff?|avif)$/i.test(s.path)).length)
    expect(preview.channels).toBe(1)
    expect(Object.fromEntries(preview.skipped.map((s) => [s.path, s.reason]))).toEqual(BAD_FILES)
    const png = Buffer.from(preview.gridDataUrl.replace(/^data:image\/png;base64,/, ''), 'base64')
    const meta = await sharp(png).metadata()
    expect([meta.width, meta.height]).toEqual([274, 172]) // 40 images, 8 per row: 5 rows
    expect(events.some((e) => e.type === 'preview' && e.previewId === 'p1')).toBe(true)
  })

  it('creates, trains and lists a run, with grids and metrics to show', async () => {
    const run = (await call('createRun', { source: photos, config: { imageSize: 32, ngf: 4, ndf: 4, batchSize: 8, iterations: 4, sampleEvery: 2 }, name: 'api' })) as { id: number }
    expect(events.some((e) => e.type === 'runs-changed')).toBe(true)
    await call('startRun', run.id)
    await manager.whenIdle(run.id)
    expect(events.some((e) => e.type === 'run' && e.runId === run.id && e.event.type === 'metrics')).toBe(true)
    const summary = (await call('getRun', run.id)) as { status: string; iteration: number }
    expect(summary).toMatchObject({ status: 'finished', iteration: 4 })
    expect(await call('listGrids', run.id)).toEqual([0, 2, 4])
    // Halfway between two saved grids: the later one, as for checkpoints.
    const grid = (await call('getGrid', run.id, 3)) as { iteration: number; dataUrl: string }
    expect(grid.iteration).toBe(4)
    expect(grid.dataUrl).toMatch(/^data:image\/png;base64,/)
    const metrics = (await call('getMetrics', run.id, 1)) as { iteration: number[] }
    expect(metrics.iteration).toEqual([2, 3, 4])
    const real = (await call('getRealGrid', run.id, 16)) as { dataUrl: string }
    const meta = await sharp(Buffer.from(real.dataUrl.split(',')[1], 'base64')).metadata()
    expect([meta.width, meta.height]).toEqual([274, 70])
    await call('renameRun', run.id, 'renamed')
    expect(((await call('getRun', run.id)) as { name: string }).name).toBe('renamed')
    await call('deleteRun', run.id)
    expect(await call('listRuns')).toEqual([])
  })

  it('tells the UI which backends are here, what auto trains on, and whether that is a GPU', async () => {
    const info = (await call('appInfo')) as { backends: string[] }
    expect(info.backends).toContain('wasm')
    expect(info.backends).toContain('webgpu')
    const report = (await call('describeBackends')) as { auto: { name: string; detail: string }; gpu: boolean; notes: string[] }
    expect(info.backends).toContain(report.auto.name)
    expect(report.gpu).toBe(report.auto.name === 'tensorflow-gpu' || report.auto.name === 'webgpu')
    // Where it is not a GPU, the user hears why not.
    if (!report.gpu) expect(report.notes.some((n) => n.startsWith('webgpu: '))).toBe(true)
  })

  it('times a training iteration of a config before it starts, remembered per model shape', async () => {
    const bad = await failure(call('measureStep', { config: { batchSize: 0 }, channels: 1 }))
    expect(bad.payload.message).toBe('batchSize: batch size must be at least 1')
    const config = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 4, backend: 'cpu' }
    const first = (await call('measureStep', { config, channels: 1 })) as { secondsPerIteration: number; backend: string; fromCache: boolean }
    expect(first).toMatchObject({ backend: 'cpu', fromCache: false, runsTraining: 0 })
    expect(first.secondsPerIteration).toBeGreaterThan(0)
    const again = await call('measureStep', { config: { ...config, lrG: 0.01, iterations: 99 }, channels: 1 })
    expect(again).toEqual({ ...first, fromCache: true })
  })

  it('browses folders: subfolders sorted, hidden ones left out, images counted', async () => {
    mkdirSync(join(dir, 'browse', 'b'), { recursive: true })
    mkdirSync(join(dir, 'browse', 'a'))
    mkdirSync(join(dir, 'browse', '.hidden'))
    writeFileSync(join(dir, 'browse', 'x.png'), 'x')
    writeFileSync(join(dir, 'browse', 'notes.txt'), 'x')
    writeFileSync(join(dir, 'browse', 'a', 'y.jpg'), 'y')
    expect(await call('browseFolder', join(dir, 'browse'))).toEqual({
      path: join(dir, 'browse'), parent: dir, folders: ['a', 'b'], imageCount: 2, imagesHere: 1, countComplete: true, missing: null
    })
    expect((await failure(call('pickFolder'))).payload.message).toMatch(/no native folder dialog/)
  })
})
