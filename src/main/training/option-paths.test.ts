// Every option of option-rows.ts on every compute path here: cpu autograd (the reference), wasm autograd and
// the fast wasm engine. Each path must give the reference's figures and weights (G, D, the EMA) after three
// iterations, use the engine exactly when fastEngineFallback says it can; on wasm (the engine where it
// applies), keep tensor counts and wasm buffers flat and resume from a snapshot exactly as an uninterrupted
// run continues.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { afterAll, describe, expect, it } from 'vitest'
import { parseRunConfig, type RunConfig } from '../../shared/config'
import { Random } from '../../shared/random'
import { fastEngineFallback } from '../../shared/training-options'
import type { TrainingImages } from '../data/types'
import { initBackend } from './backend'
import { disableWasmEngine, wasmDcganEngine } from './backend/wasm-dcgan'
import { installFastEngine } from './fast-engine'
import { OPTION_ROWS } from './option-rows'
import { Trainer, type TrainerSnapshot } from './trainer'

afterAll(async () => {
  disableWasmEngine(false)
  await initBackend('wasm')
})

const BASE = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 4, seed: 5, iterations: 50, fixedNoiseCount: 2 } as const
const ITERATIONS = 3

/** 24 RGB images with values all over [0, 255]: color augmentation only shows on RGB. */
function images(): TrainingImages {
  const random = new Random(11, 'option-paths-images')
  const count = 24
  const pixels = Uint8Array.from({ length: count * 32 * 32 * 3 }, () => random.int(256))
  return { count, size: 32, channels: 3, pixels }
}
const DATA = images()

type Path = 'cpu autograd' | 'wasm autograd' | 'wasm engine'
const PATHS: Path[] = ['cpu autograd', 'wasm autograd', 'wasm engine']

let engineCalls = 0

async function usePath(path: Path): Promise<void> {
  await initBackend(path === 'cpu autograd' ? 'cpu' : 'wasm')
  disableWasmEngine(path !== 'wasm engine')
  // Counts the engine's iterations: which path really ran is part of what is tested.
  installFastEngine({ ...wasmDcganEngine, trainIteration: (...args) => (engineCalls++, wasmDcganEngine.trainIteration(...args)) })
}

interface Outcome {
  figures: number[][]
  snapshot: TrainerSnapshot
}

async function train(config: RunConfig, iterations: number, from?: TrainerSnapshot): Promise<Outcome> {
  const trainer = new Trainer(config, DATA)
  if (from) trainer.restore(from)
  const figures: number[][] = []
  for (let i = 0; i < iterations; i++) {
    const r = await trainer.step()
    figures.push([r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter])
  }
  const snapshot = await trainer.snapshot()
  trainer.dispose()
  return { figures, snapshot }
}

/** Each figure's difference relative to its magnitude (at least 1). */
function figureError(actual: number[], expected: number[]): number {
  return Math.max(...expected.map((e, i) => Math.abs(actual[i] - e) / Math.max(1, Math.abs(e))))
}

/**
 * |actual - expected| / |expected| over a whole tensor. Not element by element: Adam and RMSprop divide each
 * gradient by its own running size, so an element whose gradient is float noise (|g| ~ epsilon) moves by a
 * noisy fraction of a learning rate on any two paths; the tensor as a whole still agrees to 1e-6.
 */
function tensorError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length)
  let difference = 0
  let size = 0
  for (let i = 0; i < expected.length; i++) {
    difference += (actual[i] - expected[i]) ** 2
    size += expected[i] ** 2
  }
  return Math.sqrt(difference / Math.max(size, 1e-12))
}

function expectClose(actual: Outcome, expected: Outcome, what: string): void {
  actual.figures.forEach((row, i) => expect(figureError(row, expected.figures[i]), `${what}: figures of iteration ${i + 1}`).toBeLessThan(1e-4))
  const groups = ['generator', 'generatorEma', 'discriminator', 'generatorBuffers', 'discriminatorBuffers'] as const
  for (const group of groups) {
    expect(actual.snapshot[group].length, `${what}: ${group}`).toBe(expected.snapshot[group].length)
    actual.snapshot[group].forEach((t, i) => expect(tensorError(t, expected.snapshot[group][i]), `${what}: ${group} ${i}`).toBeLessThan(1e-4))
  }
}

describe.each(OPTION_ROWS)('$name', (row) => {
  const config = parseRunConfig({ ...BASE, ...row.config })

  it('trains to the same figures and weights on every path, on the engine exactly where it says so', async () => {
    await usePath('cpu autograd')
    const reference = await train(config, ITERATIONS)
    expect(reference.figures.flat().every(Number.isFinite)).toBe(true)
    for (const path of PATHS.slice(1)) {
      await usePath(path)
      engineCalls = 0
      const outcome = await train(config, ITERATIONS)
      expectClose(outcome, reference, path)
      const engineRuns = path === 'wasm engine' && config.arch === 'dcgan' && fastEngineFallback(config) === null
      expect(engineCalls, `${path}: iterations the engine ran`).toBe(engineRuns ? ITERATIONS : 0)
    }
  })

  it('on wasm: keeps tensor counts and buffers flat and resumes exactly', async () => {
    await usePath('wasm engine')
    const straight = await train(config, 4)
    const trainer = new Trainer(config, DATA)
    // Warm-up: the first iterations and renders leave kernel caches behind (packed weights, derived filters).
    await trainer.step()
    await trainer.step()
    await trainer.renderFixedNoise()
    const tensors = tf.memory().numTensors
    const buffers = (tf.backend() as BackendWasm).numDataIds()
    await trainer.step()
    await trainer.renderFixedNoise()
    expect(tf.memory().numTensors).toBe(tensors)
    expect((tf.backend() as BackendWasm).numDataIds()).toBe(buffers)
    const snapshot = await trainer.snapshot()
    trainer.dispose()
    const resumed = await train(config, 1, snapshot)
    expect(resumed.figures).toEqual(straight.figures.slice(3))
    expect(resumed.snapshot.generator.map((t) => Array.from(t))).toEqual(straight.snapshot.generator.map((t) => Array.from(t)))
    expect(resumed.snapshot.generatorEma.map((t) => Array.from(t))).toEqual(straight.snapshot.generatorEma.map((t) => Array.from(t)))
  })
})
