// The wasm DCGAN engine against TF.js autograd on the cpu backend (the reference): network outputs, every
// parameter gradient of the D and G steps, running statistics and generated images, on the model's layer
// shapes at 32 and 64 px, gray and RGB. Then whole iterations against autograd on wasm itself, and memory.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { afterAll, describe, expect, it } from 'vitest'
import { parseRunConfig, type RunConfigInput } from '../../../../shared/config'
import { Random } from '../../../../shared/random'
import { Adam, ADAM_EPSILON } from '../../adam'
import type { DcganNetwork } from '../../dcgan'
import { buildNetworks } from '../../gan'
import { generateImages } from '../../generate'
import { bceWithLogits, EVAL, TRAIN } from '../../layers'
import { disposeNetworks } from '../../network'
import { trainIteration, type IterationMetrics } from '../../step'
import { BCE_STEP, stepOptionsOf } from '../../step-options'
import { initBackend } from '..'
import { heapF32, release } from '../wasm-kernels/kernel-calls'
import { disableWasmEngine, wasmEngineApplies } from '.'
import { backwardPass, forwardPass, releaseGradients, releasePass, type Gradient } from './network-pass'

afterAll(() => disableWasmEngine(false))

type Shape = { imageSize: 32 | 64; channels: 1 | 3 }
const SHAPES: Shape[] = [
  { imageSize: 32, channels: 1 },
  { imageSize: 32, channels: 3 },
  { imageSize: 64, channels: 3 }
]
const BATCH = 3

function configOf(shape: Shape, extra: RunConfigInput = {}) {
  return parseRunConfig({ imageSize: shape.imageSize, ngf: 4, ndf: 4, nz: 6, batchSize: BATCH, seed: 9, ...extra })
}

function inputs(shape: Shape, nz: number) {
  const random = new Random(4, `engine-test-${shape.imageSize}-${shape.channels}`)
  const real = random.normalArray(BATCH * shape.imageSize * shape.imageSize * shape.channels).map(Math.tanh)
  const noise = random.normalArray(BATCH * nz)
  return {
    real: () => tf.tensor4d(real, [BATCH, shape.imageSize, shape.imageSize, shape.channels]),
    noise: () => tf.tensor4d(noise, [BATCH, 1, 1, nz])
  }
}

interface Figures {
  fake: Float32Array
  realLogits: Float32Array
  dGrads: Float32Array[]
  gGrads: Float32Array[]
  stats: Float32Array[]
  generated: Float32Array
}

/** Autograd: D's gradients on real + G(z) (label 1 and 0), then G's through D (label 1), same weights. */
async function autogradFigures(shape: Shape): Promise<Figures> {
  const config = configOf(shape)
  const nets = buildNetworks(config, shape.channels)
  const { real, noise } = inputs(shape, config.nz)
  const { generator: G, discriminator: D } = nets
  const out = tf.tidy(() => {
    const x = real()
    const z = noise()
    const fake = G.apply(z, TRAIN)
    let realLogits: tf.Tensor | null = null
    const d = tf.variableGrads(() => {
      realLogits = tf.keep(D.apply(x, TRAIN))
      return tf.add(bceWithLogits(realLogits, 1), bceWithLogits(D.apply(fake, TRAIN), 0)) as tf.Scalar
    }, D.params.trainable)
    const g = tf.variableGrads(() => bceWithLogits(D.apply(G.apply(z, { training: true, updateStats: false }), TRAIN), 1), G.params.trainable)
    return {
      fake: fake.dataSync() as Float32Array,
      realLogits: realLogits!.dataSync() as Float32Array,
      dGrads: D.params.trainable.map((p) => d.grads[p.name].dataSync() as Float32Array),
      gGrads: G.params.trainable.map((p) => g.grads[p.name].dataSync() as Float32Array)
    }
  })
  const stats = [...G.params.buffers, ...D.params.buffers].map((b) => b.dataSync() as Float32Array)
  const generated = await generateImages(G, config.nz, noise().dataSync() as Float32Array)
  disposeNetworks(nets)
  return { ...out, stats, generated }
}

function readGradient(backend: BackendWasm, g: Gradient): Float32Array {
  return g instanceof Float32Array ? g.slice() : heapF32(backend, g).slice()
}

/** The same through the engine's passes. */
async function engineFigures(shape: Shape): Promise<Figures> {
  const backend = tf.backend() as BackendWasm
  const config = configOf(shape)
  const nets = buildNetworks(config, shape.channels)
  const G = nets.generator as DcganNetwork
  const D = nets.discriminator as DcganNetwork
  expect(wasmEngineApplies(G) && wasmEngineApplies(D)).toBe(true)
  const { real, noise } = inputs(shape, config.nz)
  const x = real()
  const z = noise()
  const logitGradient = (logits: Float32Array, label: number) => {
    const d = backend.makeOutput([logits.length, 1, 1, 1], 'float32')
    const values = heapF32(backend, d)
    logits.forEach((l, i) => (values[i] = (1 / (1 + Math.exp(-l)) - label) / logits.length))
    return d
  }
  const dHalf = (images: tf.TensorInfo, label: number) => {
    const pass = forwardPass(backend, D, images, 'train', true)
    const logits = heapF32(backend, pass.output).slice()
    const dLogits = logitGradient(logits, label)
    const { grads } = backwardPass(backend, pass, dLogits, { weights: true, input: false })
    release(backend, dLogits)
    releasePass(backend, pass)
    const values = grads!.map((g) => readGradient(backend, g))
    releaseGradients(backend, grads!)
    return { logits, values }
  }
  const fakePass = forwardPass(backend, G, z, 'train', true)
  const fake = heapF32(backend, fakePass.output).slice()
  const onReal = dHalf(x, 1)
  const onFake = dHalf(fakePass.output, 0)
  const judged = forwardPass(backend, D, fakePass.output, 'train', true)
  const dLogits = logitGradient(heapF32(backend, judged.output).slice(), 1)
  const { dInput } = backwardPass(backend, judged, dLogits, { weights: false, input: true })
  const { grads } = backwardPass(backend, fakePass, dInput!, { weights: true, input: false })
  const gGrads = grads!.map((g) => readGradient(backend, g))
  releaseGradients(backend, grads!)
  release(backend, dLogits, dInput!)
  releasePass(backend, judged)
  releasePass(backend, fakePass)
  const stats = [...G.params.buffers, ...D.params.buffers].map((b) => b.dataSync() as Float32Array)
  const generated = await generateImages(G, config.nz, z.dataSync() as Float32Array)
  tf.dispose([x, z])
  disposeNetworks(nets)
  return {
    fake,
    realLogits: onReal.logits,
    dGrads: onReal.values.map((g, i) => g.map((v, j) => v + onFake.values[i][j])),
    gGrads,
    stats,
    generated
  }
}

/** Largest difference relative to the reference's largest magnitude. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length)
  let scale = 0
  let worst = 0
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]))
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
  }
  expect(scale).toBeGreaterThan(0)
  return worst / scale
}

describe('the wasm DCGAN engine matches autograd on the cpu backend', () => {
  it.each(SHAPES)('$imageSize px, $channels channels: outputs, every gradient, running statistics, eval images', async (shape) => {
    await initBackend('cpu')
    const expected = await autogradFigures(shape)
    await initBackend('wasm')
    const actual = await engineFigures(shape)
    expect(relativeError(actual.fake, expected.fake), 'G(z)').toBeLessThan(1e-4)
    expect(relativeError(actual.realLogits, expected.realLogits), 'D(x)').toBeLessThan(1e-4)
    expected.dGrads.forEach((g, i) => expect(relativeError(actual.dGrads[i], g), `D gradient ${i}`).toBeLessThan(1e-4))
    expected.gGrads.forEach((g, i) => expect(relativeError(actual.gGrads[i], g), `G gradient ${i}`).toBeLessThan(1e-4))
    expected.stats.forEach((s, i) => expect(relativeError(actual.stats[i], s), `running statistic ${i}`).toBeLessThan(1e-4))
    expect(relativeError(actual.generated, expected.generated), 'eval images').toBeLessThan(1e-4)
  })
})

async function iterations(extra: RunConfigInput, count: number, engine: boolean): Promise<{ metrics: IterationMetrics[]; weights: Float32Array }> {
  disableWasmEngine(!engine)
  const config = configOf({ imageSize: 32, channels: 3 }, extra)
  const nets = buildNetworks(config, 3)
  const adam = (params: tf.Variable[]) => new Adam(params, { learningRate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: ADAM_EPSILON })
  const optimizers = { generator: adam(nets.generator.params.trainable), discriminator: adam(nets.discriminator.params.trainable) }
  const random = new Random(2, 'engine-iterations')
  const metrics: IterationMetrics[] = []
  for (let i = 0; i < count; i++) {
    const real = [tf.tensor4d(random.normalArray(BATCH * 32 * 32 * 3).map(Math.tanh), [BATCH, 32, 32, 3])]
    const noise = [tf.tensor4d(random.normalArray(BATCH * config.nz), [BATCH, 1, 1, config.nz])]
    metrics.push(await trainIteration(nets, optimizers, real, noise, stepOptionsOf(config)))
    tf.dispose([...real, ...noise])
  }
  const weights = nets.generator.params.trainable[2].dataSync().slice() as Float32Array
  disposeNetworks(nets)
  optimizers.generator.dispose()
  optimizers.discriminator.dispose()
  disableWasmEngine(false)
  return { metrics, weights }
}

describe('whole iterations on wasm', () => {
  it('give the figures autograd gives, with label smoothing too', async () => {
    await initBackend('wasm')
    for (const extra of [{}, { labelSmoothing: 0.1 }]) {
      const engine = await iterations(extra, 2, true)
      const autograd = await iterations(extra, 2, false)
      engine.metrics.forEach((m, i) => {
        for (const key of Object.keys(m) as (keyof IterationMetrics)[]) {
          expect(Math.abs(m[key] - autograd.metrics[i][key]), `${key} at iteration ${i + 1}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(autograd.metrics[i][key])))
        }
      })
    }
  })

  it('are bit-identical for the same seed', async () => {
    await initBackend('wasm')
    const a = await iterations({}, 3, true)
    const b = await iterations({}, 3, true)
    expect(b.metrics).toEqual(a.metrics)
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights))
  })

  it('keep tensors and wasm buffers flat across iterations and generation', async () => {
    await initBackend('wasm')
    const backend = tf.backend() as BackendWasm
    const config = configOf({ imageSize: 32, channels: 3 }, { dStepsPerG: 2 })
    const nets = buildNetworks(config, 3)
    const adam = (params: tf.Variable[]) => new Adam(params, { learningRate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: ADAM_EPSILON })
    const optimizers = { generator: adam(nets.generator.params.trainable), discriminator: adam(nets.discriminator.params.trainable) }
    const random = new Random(3, 'engine-memory')
    const once = async () => {
      const real = [0, 1].map(() => tf.tensor4d(random.normalArray(BATCH * 32 * 32 * 3), [BATCH, 32, 32, 3]))
      const noise = [0, 1].map(() => tf.tensor4d(random.normalArray(BATCH * config.nz), [BATCH, 1, 1, config.nz]))
      await trainIteration(nets, optimizers, real, noise, BCE_STEP)
      await generateImages(nets.generator, config.nz, random.normalArray(2 * config.nz))
      tf.dispose([...real, ...noise])
    }
    await once()
    const tensors = tf.memory().numTensors
    const buffers = backend.numDataIds()
    for (let i = 0; i < 3; i++) await once()
    expect(tf.memory().numTensors).toBe(tensors)
    expect(backend.numDataIds()).toBe(buffers)
    disposeNetworks(nets)
    optimizers.generator.dispose()
    optimizers.discriminator.dispose()
  })

  it('generates what autograd generates in eval mode', async () => {
    await initBackend('wasm')
    const nets = buildNetworks(configOf({ imageSize: 64, channels: 3 }), 3)
    const latents = new Random(5, 'engine-generate').normalArray(4 * 6)
    const fast = await generateImages(nets.generator, 6, latents)
    const reference = tf.tidy(() => nets.generator.apply(tf.tensor4d(latents, [4, 1, 1, 6]), EVAL).dataSync() as Float32Array)
    expect(relativeError(fast, reference)).toBeLessThan(1e-5)
    disposeNetworks(nets)
  })
})
