// The generator worker against a real store while "training" prunes checkpoints under it: a real SQLite
// database, a tiny real model, checkpoints saved and pruned the way a training session does (keep the last 1).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import { seededNoise } from '../../shared/noise'
import { prepareDataset } from '../data'
import { createRun, listCheckpoints, openDatabase, saveCheckpoint, setCheckpointPinned, updateRun, type Db } from '../store'
import { initBackend } from '../training/backend'
import { encodeCheckpoint } from '../training/checkpoint'
import { Trainer } from '../training/trainer'
import { GeneratorHost } from './generator-host'

const config = parseRunConfig({ imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 8, iterations: 10, fixedNoiseCount: 4, seed: 5 })
const latents = seededNoise(7, config.nz, 3)

let dir: string
let db: Db
let trainer: Trainer
let runId: number
const hosts: GeneratorHost[] = []

/** One more training iteration, checkpointed; the store keeps only the newest unpinned checkpoint. */
async function trainAndCheckpoint(): Promise<number> {
  await trainer.step()
  const state = encodeCheckpoint(await trainer.snapshot(), 0)
  return saveCheckpoint(db, runId, { iteration: trainer.iteration, epoch: 0, reason: 'interval', state }, 1).iteration
}

function newHost(): GeneratorHost {
  const host = new GeneratorHost({ dbPath: join(dir, 'runs.db') })
  hosts.push(host)
  return host
}

const saved = () => listCheckpoints(db, runId).map((c) => c.iteration)

beforeAll(async () => {
  await initBackend('wasm')
  dir = mkdtempSync(join(tmpdir(), 'gan-explore-'))
  db = openDatabase(join(dir, 'runs.db'))
  const digits = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir: join(dir, 'cache') })
  trainer = new Trainer(config, digits)
  runId = createRun(db, { config, source: 'builtin:mnist', name: 'pruned' }).id
  updateRun(db, runId, { channels: trainer.channels })
})

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()))
  trainer?.dispose()
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('exploring a checkpoint that training prunes', () => {
  it('keeps generating (and exporting) from the loaded generator after its checkpoint is deleted', async () => {
    const host = newHost()
    const first = await trainAndCheckpoint()
    const before = await host.generate(runId, first, latents)
    const rawBefore = await host.generate(runId, first, latents, { format: 'raw' })
    expect(before.iteration).toBe(first)
    expect(before.images).toHaveLength(3)

    const second = await trainAndCheckpoint()
    expect(saved()).toEqual([second]) // the explored checkpoint is gone from the store

    const after = await host.generate(runId, first, latents)
    expect(after.iteration).toBe(first)
    expect(after.images.map((png) => Buffer.from(png).toString('base64'))).toEqual(before.images.map((png) => Buffer.from(png).toString('base64')))
    // An export (exact) of the pruned checkpoint works while its generator is loaded, with the same pixels.
    const rawAfter = await host.generate(runId, first, latents, { format: 'raw' })
    expect(Array.from(rawAfter.raw!)).toEqual(Array.from(rawBefore.raw!))
    const files = await host.exportModel(runId, first, join(dir, 'model'), false)
    expect(files.every((f) => existsSync(f))).toBe(true)

    // The newest checkpoint follows training: null asks for it.
    expect((await host.generate(runId, null, latents)).iteration).toBe(second)
  })

  it('serves the nearest saved checkpoint to the screen when the pruned one is not loaded, and refuses an export', async () => {
    const host = newHost() // a fresh worker: nothing loaded
    const [kept] = saved()
    setCheckpointPinned(db, runId, kept, true)
    const newest = await trainAndCheckpoint()
    expect(saved()).toEqual([kept, newest])
    const gone = kept - 1 // the first checkpoint, pruned in the test above

    const shown = await host.generate(runId, gone, latents)
    expect(shown.iteration).toBe(kept)
    expect(shown.images).toHaveLength(3)

    const refused = await host.generate(runId, gone, latents, { format: 'raw' }).then(() => null, (e: Error) => e.message)
    expect(refused).toBe(`run "pruned" has no checkpoint at iteration ${gone} (training keeps only its newest checkpoints unless one is pinned); saved: ${kept}, ${newest}`)
    const model = await host.exportModel(runId, gone, join(dir, 'model-2'), false).then(() => null, (e: Error) => e.message)
    expect(model).toMatch(`no checkpoint at iteration ${gone}`)
  })

  it('says the run has no checkpoint yet when there is none', async () => {
    const empty = createRun(db, { config, source: 'builtin:mnist', name: 'empty' })
    const message = await newHost()
      .generate(empty.id, null, latents)
      .then(() => null, (e: Error) => e.message)
    expect(message).toBe('run "empty" has no checkpoint yet: train it a little first (a checkpoint is saved on pause and stop)')
  })
})
