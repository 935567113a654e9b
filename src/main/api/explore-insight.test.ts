// Latent directions, nearest training images and the memorization figure through the API as the UI calls
// it: a real store, the real generator and nearest-image workers, and a generator that copies one MNIST
// digit by construction (an MLP whose last layer ignores its input and outputs that digit).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import type { LatentDirections, SavedDirection } from '../../shared/latent-directions'
import { MEMORIZATION_SAMPLES, MEMORIZATION_SCALAR, type MemorizationResult, type NearestImages } from '../../shared/nearest'
import { seededNoise } from '../../shared/noise'
import { prepareDataset } from '../data'
import { RunManager } from '../runs/manager'
import { createRun, readScalars, saveCheckpoint, updateRun } from '../store'
import { initBackend } from '../training/backend'
import { encodeCheckpoint } from '../training/checkpoint'
import { Trainer } from '../training/trainer'
import { ApiCallError, dispatch } from './dispatch'
import { GanService } from './service'

const COPIED = 1234
const config = parseRunConfig({ arch: 'mlp', imageSize: 32, nz: 16, batchSize: 8, iterations: 10, seed: 5 })
let dir: string
let manager: RunManager
let service: GanService
let runId: number

const call = <T>(method: string, ...args: unknown[]) => dispatch(service, method, args) as Promise<T>

beforeAll(async () => {
  await initBackend('wasm')
  dir = mkdtempSync(join(tmpdir(), 'gan-insight-'))
  const cacheDir = join(dir, 'cache')
  manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir })
  service = new GanService({ manager, cacheDir, dataDir: dir, transport: 'websocket', version: '0.0.0' })
  const digits = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir })
  const trainer = new Trainer(config, digits)
  const snapshot = await trainer.snapshot()
  trainer.dispose()
  // G's last dense layer: kernel [512, 1024] and bias [1024]. A zero kernel and the bias atanh(digit) make
  // tanh(output) that digit for every z.
  const last = snapshot.generator.length - 2
  snapshot.generator[last].fill(0)
  snapshot.generator[last + 1] = Float32Array.from(digits.pixels.subarray(COPIED * 1024, (COPIED + 1) * 1024), (p) => Math.atanh(Math.min(0.999999, Math.max(-0.999999, p / 127.5 - 1))))
  runId = createRun(manager.db, { config, source: 'builtin:mnist', name: 'copier' }).id
  updateRun(manager.db, runId, { channels: 1, iteration: 10 })
  saveCheckpoint(manager.db, runId, { iteration: 10, epoch: 0, reason: 'stop', state: encodeCheckpoint({ ...snapshot, iteration: 10 }, 0) }, 3)
})
afterAll(async () => {
  await service?.close()
  await manager?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('latent directions through the API', () => {
  it('gives the checkpoint’s SeFa and GANSpace directions as unit vectors, and keeps named ones with the run', async () => {
    for (const method of ['sefa', 'ganspace']) {
      const found = await call<LatentDirections>('latentDirections', { runId, iteration: null, method, count: 5 })
      expect(found).toMatchObject({ method, iteration: 10 })
      expect(found.directions.map((d) => d.rank)).toEqual([1, 2, 3, 4, 5])
      for (const d of found.directions) expect(d.vector.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 5)
      // Asked again: from the cache, the same directions.
      const again = await call<LatentDirections>('latentDirections', { runId, iteration: 10, method, count: 3 })
      expect(again.seconds).toBe(0)
      expect(again.directions).toEqual(found.directions.slice(0, 3))
    }
    const bad = await dispatch(service, 'latentDirections', [{ runId, iteration: null, method: 'pca', count: 5 }]).catch((e: ApiCallError) => e.payload)
    expect(bad).toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/the method must be one of sefa, ganspace/i) })

    const { directions } = await call<LatentDirections>('latentDirections', { runId, iteration: null, method: 'sefa', count: 2 })
    const saved = await call<SavedDirection>('saveDirection', runId, { name: 'stroke', source: 'sefa:2', iteration: 10, vector: directions[1].vector })
    expect(await call<SavedDirection[]>('listDirections', runId)).toEqual([saved])
    const wrong = await dispatch(service, 'saveDirection', [runId, { name: 'short', source: 'sefa:1', iteration: 10, vector: [1, 0] }]).catch((e: ApiCallError) => e.payload.message)
    expect(wrong).toBe('the direction has 2 values; this generator takes 16')
    await call('deleteDirection', runId, saved.id)
    expect(await call('listDirections', runId)).toEqual([])
  })
})

describe('nearest training images and memorization', () => {
  it('finds the copied digit at distance 0 among all 10,000, with the next ones further away', async () => {
    const found = await call<NearestImages>('nearestImages', { runId, iteration: null, vector: Array.from(seededNoise(3, 16, 1)), k: 4 })
    expect(found.iteration).toBe(10)
    expect(found.searched).toBe(10000)
    expect(found.neighbours).toHaveLength(4)
    expect(found.neighbours[0]).toMatchObject({ index: COPIED, file: null, distance: 0 })
    expect(found.neighbours[1].distance).toBeGreaterThan(0)
    expect(found.image).toMatch(/^data:image\/png;base64,/)
    expect(found.neighbours[0].image).toBe(found.image)
    expect(found.typicalDistance).toBeGreaterThan(0)
    // The index was built for this search (once), kept in the cache folder and loaded afterwards.
    expect(found.indexSeconds).toBeGreaterThan(0)
    expect(readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('nearest-') && f.endsWith('.idx'))).toHaveLength(1)
    const again = await call<NearestImages>('nearestImages', { runId, iteration: 10, vector: Array.from(seededNoise(4, 16, 1)), k: 1 })
    expect(again.indexSeconds).toBe(0)
    expect(again.neighbours[0].index).toBe(COPIED)
  })

  it('measures 100% memorization for the copying generator and records it with the run', async () => {
    const figure = await call<MemorizationResult>('measureMemorization', runId, null)
    expect(figure).toMatchObject({ iteration: 10, share: 1, closer: MEMORIZATION_SAMPLES, samples: MEMORIZATION_SAMPLES, medianDistance: 0 })
    expect(readScalars(manager.db, runId)[MEMORIZATION_SCALAR]).toEqual({ iteration: [10], value: [1] })
  })
})
