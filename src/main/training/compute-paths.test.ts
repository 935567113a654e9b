// One model, several compute paths: every training option gives the same figures on every path, to 1e-4.
// Rows are options, columns are paths; TF.js autograd on the cpu backend is the reference. An option a path
// cannot run must fall back with a note the user sees (FastEngine.fallbackNote), never silently: the table
// checks that too. To add an option, add a row (option-rows.ts); to add a path, add a column.
import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import { Random } from '../../shared/random'
import { useSoftwareGpu } from '../../../tests/fixtures/software-gpu'
import type { TrainingImages } from '../data'
import { initBackend, releaseBackends } from './backend'
import { disableWasmEngine } from './backend/wasm-dcgan'
import { fastEngineForStep, installedFastEngine } from './fast-engine'
import { OPTION_ROWS, withRowClasses, type OptionRow } from './option-rows'
import { stepOptionsOf } from './step-options'
import { Trainer } from './trainer'

interface PathColumn {
  name: string
  backend: 'cpu' | 'wasm' | 'webgpu'
  /** Whether the backend's fast engine may run (wasm): off compares autograd on that backend. */
  engine: boolean
  skip?: string
}

const gpu = useSoftwareGpu()

const PATHS: PathColumn[] = [
  { name: 'wasm autograd', backend: 'wasm', engine: false },
  { name: 'wasm engine', backend: 'wasm', engine: true },
  { name: 'webgpu autograd (software adapter)', backend: 'webgpu', engine: false, skip: gpu.skip ? gpu.reason : undefined }
]

const ITERATIONS = 3

interface Figures {
  /** Loss_D, Loss_G, D(x), D(G(z)) before and after, per iteration. */
  metrics: number[][]
  /** The fixed-noise images after the first iteration. */
  images: Float32Array
  /** Every generator (and EMA) and discriminator weight and running statistic after the first iteration. */
  weights: Float32Array[]
  /** Both optimizers' state (Adam's moments, RMSprop's mean square) after the first iteration. */
  optimizer: Float32Array[]
  /** How the path trained this option: by its fast engine, or by autograd with the note the user reads. */
  route: { engine: boolean; note: string | null }
}

function imagesFor(row: OptionRow, count: number): TrainingImages {
  const { imageSize } = parseRunConfig(row.config)
  const random = new Random(5, `compute-paths/${row.name}`)
  const values = random.normalArray(count * imageSize * imageSize * row.channels)
  const pixels = Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round(128 + 50 * v))))
  return withRowClasses(row, { count, size: imageSize, channels: row.channels, pixels }, random)
}

async function train(row: OptionRow): Promise<Figures> {
  const config = parseRunConfig({ ...row.config, iterations: ITERATIONS })
  const trainer = new Trainer(config, imagesFor(row, config.batchSize * 3))
  try {
    const engine = fastEngineForStep(trainer.nets, stepOptionsOf(config)) !== null
    const metrics: number[][] = []
    let images: Float32Array = new Float32Array()
    let weights: Float32Array[] = []
    let optimizer: Float32Array[] = []
    for (let i = 0; i < ITERATIONS; i++) {
      const r = await trainer.step()
      metrics.push([r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter])
      if (i > 0) continue
      images = await trainer.renderFixedNoise()
      const s = await trainer.snapshot()
      weights = [...s.generator, ...s.generatorBuffers, ...s.generatorEma, ...s.discriminator, ...s.discriminatorBuffers]
      optimizer = [...s.adamG.state, ...s.adamD.state]
    }
    return { metrics, images, weights, optimizer, route: { engine, note: engine ? null : (installedFastEngine()?.fallbackNote(config) ?? null) } }
  } finally {
    trainer.dispose()
  }
}

/**
 * Largest difference relative to the reference's largest magnitude, at least `floor`, so that near-zero
 * tensors compare absolutely: a bias after one Adam step is about +-lr (1e-4 with the WGAN-GP's settings),
 * and Adam divides each gradient by its own size, so a gradient that is float noise (a pixel whose terms
 * cancel) moves its bias by a fraction of lr that differs between paths summing in another order.
 */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-3): number {
  expect(actual.length).toBe(expected.length)
  let scale = floor
  let worst = 0
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]))
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
  }
  return worst / scale
}

const reference = new Map<string, Figures>()

/**
 * The row's figures on cpu autograd, computed the first time a column needs them (one hook computing every
 * row's would outlast a hook's timeout on a loaded machine).
 */
async function referenceFor(row: OptionRow): Promise<Figures> {
  if (!reference.has(row.name)) {
    await initBackend('cpu')
    reference.set(row.name, await train(row))
  }
  return reference.get(row.name)!
}

async function usePath(path: PathColumn): Promise<void> {
  await initBackend(path.backend)
  disableWasmEngine(!path.engine)
}

afterAll(() => {
  disableWasmEngine(false)
  releaseBackends()
})

describe.each(PATHS)('$name against cpu autograd', (path) => {
  it.skipIf(path.skip !== undefined).each(OPTION_ROWS)('$name: the same figures, weights and images to 1e-4', async (row) => {
    const expected = await referenceFor(row)
    await usePath(path)
    const actual = await train(row)
    actual.metrics.forEach((m, i) =>
      m.forEach((v, k) => expect(Math.abs(v - expected.metrics[i][k]), `figure ${k} of iteration ${i + 1}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected.metrics[i][k]))))
    )
    // Weights, running statistics, Adam's moments and the images they give, after the first iteration, where
    // every path started from the same state. Later, Adam amplifies float noise: it divides each gradient by
    // its own size, so a nearly-zero one moves its weight by a good part of lr whatever its noise, and a tiny
    // model's next gradients can differ by a percent between paths that sum in another order. The figures of
    // all three iterations stay within 1e-4 all the same: they are the check of the later steps.
    // Weights are about 0.02 (the DCGAN initialization): a floor of 1e-2 compares near-zero ones to 1e-6.
    actual.weights.forEach((w, i) => expect(relativeError(w, expected.weights[i], 1e-2), `weight tensor ${i}`).toBeLessThan(1e-4))
    actual.optimizer.forEach((w, i) => expect(relativeError(w, expected.optimizer[i]), `optimizer state ${i}`).toBeLessThan(1e-4))
    expect(relativeError(actual.images, expected.images), 'fixed-noise images').toBeLessThan(1e-4)
    if (path.engine) {
      // The engine ran (and nobody is told otherwise), or autograd ran and the user is told why and what it costs.
      if (!actual.route.engine) expect(actual.route.note, 'a fallback the user is not told about').toMatch(/autograd/)
      else expect(actual.route.note, 'a fallback the user is told about that does not happen').toBeNull()
    } else {
      expect(actual.route.engine).toBe(false)
    }
  })
})

describe('the table itself', () => {
  it('runs the wasm engine where it applies (a DCGAN), so the engine column is not autograd in disguise', async () => {
    await initBackend('wasm')
    disableWasmEngine(false)
    expect((await train(OPTION_ROWS[0])).route).toEqual({ engine: true, note: null })
    expect((await train(OPTION_ROWS[2])).route.engine).toBe(false)
    // Conditional DCGANs too: the engine joins the class to G's and D's inputs itself.
    expect((await train(OPTION_ROWS.find((r) => r.classes && r.config.arch !== 'mlp')!)).route).toEqual({ engine: true, note: null })
    expect(tf.getBackend()).toBe('wasm')
  })
})
