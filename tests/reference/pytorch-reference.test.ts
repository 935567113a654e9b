// Our maths against PyTorch's (bench/pytorch/reference_checks.py wrote the expected values; no Python is
// needed here): Adam and RMSprop, every loss's value and gradient, the generator's EMA, DiffAugment with
// fixed draws (output and input gradient), and whole D+G iterations of the DCGAN and the MLP for each loss
// (figures, updated weights, BatchNorm statistics, the EMA), on every compute path: cpu autograd, wasm
// autograd and the wasm engine. To 1e-4, relative.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { afterAll, describe, expect, it } from 'vitest'
import { parseRunConfig, type RunConfigInput } from '../../src/shared/config'
import { fastEngineFallback, type Augmentation, type LossName } from '../../src/shared/training-options'
import { Adam, ADAM_EPSILON } from '../../src/main/training/adam'
import type { AugmentDraws } from '../../src/main/training/augment'
import { augment } from '../../src/main/training/augment'
import { initBackend } from '../../src/main/training/backend'
import { disableWasmEngine, wasmDcganEngine } from '../../src/main/training/backend/wasm-dcgan'
import { augmentBackward, augmentForward, type ImageShape } from '../../src/main/training/backend/wasm-dcgan/augment-pass'
import { optimizerUpdateOnHeap } from '../../src/main/training/backend/wasm-dcgan/optimizer-update'
import { GeneratorAverage } from '../../src/main/training/ema'
import { installFastEngine } from '../../src/main/training/fast-engine'
import { buildGenerator, buildNetworks } from '../../src/main/training/gan'
import type { IterationDraws } from '../../src/main/training/iteration-draws'
import { elementwiseLoss, lossTerm, scoreOf, type LossTerm } from '../../src/main/training/losses'
import { disposeNetworks, type Network } from '../../src/main/training/network'
import { createOptimizers, disposeOptimizers, type Optimizer } from '../../src/main/training/optimizer'
import { ParamSet } from '../../src/main/training/params'
import { RmsProp, RMSPROP_ALPHA, RMSPROP_EPSILON } from '../../src/main/training/rmsprop'
import { trainIteration } from '../../src/main/training/step'
import { stepOptionsOf } from '../../src/main/training/step-options'
import { figureError, fixtureValues, readFixture, tensorError, type Encoded } from './fixture-values'

afterAll(async () => {
  disableWasmEngine(false)
  await initBackend('wasm')
})

const TOLERANCE = 1e-4

function expectTensor(actual: ArrayLike<number>, expected: Encoded, what: string): void {
  expect(tensorError(actual, expected), what).toBeLessThan(TOLERANCE)
}

function variableOf(values: ArrayLike<number>, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(Array.from(values), shape)))
}

describe('Adam and RMSprop against torch.optim', () => {
  interface Case {
    kind: 'adam' | 'rmsprop'
    settings: { lr: number; beta1?: number; beta2?: number }
    initial: number[]
    grads: number[][]
    params: number[][]
    states: number[][][]
  }
  const { cases } = readFixture<{ cases: Case[] }>('optimizers')
  const make = (c: Case, param: tf.Variable): Optimizer =>
    c.kind === 'adam'
      ? new Adam([param], { learningRate: c.settings.lr, beta1: c.settings.beta1!, beta2: c.settings.beta2!, epsilon: ADAM_EPSILON })
      : new RmsProp([param], { learningRate: c.settings.lr, alpha: RMSPROP_ALPHA, epsilon: RMSPROP_EPSILON })

  it.each(cases.map((c) => [`${c.kind} ${JSON.stringify(c.settings)}`, c] as const))('%s: three steps, with TF.js ops and fused on the wasm heap', async (_, c) => {
    for (const fused of [false, true]) {
      await initBackend(fused ? 'wasm' : 'cpu')
      const param = variableOf(c.initial, [3, 4])
      const optimizer = make(c, param)
      c.grads.forEach((g, step) => {
        const grad = tf.tensor(g, [3, 4])
        if (fused) optimizerUpdateOnHeap(tf.backend() as BackendWasm, optimizer, [grad])
        else optimizer.apply([grad])
        grad.dispose()
        const where = `${fused ? 'fused' : 'TF.js'} step ${step + 1}`
        expectTensor(param.dataSync(), c.params[step], `${where}: parameter`)
        optimizer.stateTensors().forEach((s, i) => expectTensor(s.dataSync(), c.states[step][i], `${where}: state ${i}`))
      })
      optimizer.dispose()
      param.dispose()
    }
  })
})

describe('the losses against torch.nn.functional', () => {
  interface Case {
    loss: LossName
    term: LossTerm
    target: number
    value: number
    gradient: number[]
    meanScore: number
  }
  const { logits, cases } = readFixture<{ logits: number[]; cases: Case[] }>('losses')

  it.each(cases.map((c) => [`${c.loss} ${c.term}${c.term === 'real' ? ` (target ${c.target})` : ''}`, c] as const))('%s: value, gradient and charted score', async (_, c) => {
    await initBackend('cpu')
    const x = tf.tensor2d(logits, [logits.length, 1])
    const value = lossTerm(c.loss, c.term, x, c.target)
    const gradient = tf.grad((l: tf.Tensor) => lossTerm(c.loss, c.term, l, c.target))(x)
    const score = tf.mean(scoreOf(c.loss, x))
    expect(figureError(value.dataSync()[0], c.value), 'TF.js value').toBeLessThan(TOLERANCE)
    expectTensor(gradient.dataSync(), c.gradient, 'TF.js gradient')
    expect(figureError(score.dataSync()[0], c.meanScore), 'TF.js score').toBeLessThan(TOLERANCE)
    tf.dispose([x, value, gradient, score])
    // The wasm engine's per-element form: the loss is the mean of value, the gradient slope / n.
    const term = elementwiseLoss(c.loss, c.term, c.target)
    const n = logits.length
    expect(figureError(logits.reduce((s, l) => s + term.value(l), 0) / n, c.value), 'per-element value').toBeLessThan(TOLERANCE)
    expectTensor(logits.map((l) => term.slope(l) / n), c.gradient, 'per-element gradient')
    expect(figureError(logits.reduce((s, l) => s + term.score(l), 0) / n, c.meanScore), 'per-element score').toBeLessThan(TOLERANCE)
  })
})

/** A parameter list holding given values, as a network the EMA can average. */
function networkOf(values: ArrayLike<number>, shape: number[]): Network {
  const params = new ParamSet('ema-test')
  params.filled('w', shape, 0).assign(tf.tensor(Array.from(values), shape))
  return { params, inputShape: [], classes: 0, apply: () => { throw new Error('not a real network') } }
}

describe('the generator EMA against p.lerp(p_ema, decay)', () => {
  const fixture = readFixture<{ decay: number; initial: number[]; steps: { updates: number; weights: number[]; average: number[] }[] }>('ema')

  it('follows its warm-up and then its decay', async () => {
    await initBackend('cpu')
    const source = networkOf(fixture.initial, [3, 4])
    const average = new GeneratorAverage(networkOf(new Float32Array(12), [3, 4]), source, fixture.decay)
    expectTensor(average.network.params.trainable[0].dataSync(), fixture.initial, 'starts as a copy')
    for (const [i, step] of fixture.steps.entries()) {
      source.params.trainable[0].assign(tf.tensor(step.weights, [3, 4]))
      average.update(step.updates)
      expectTensor(average.network.params.trainable[0].dataSync(), step.average, `update ${i + 1} (after ${step.updates})`)
    }
    average.dispose()
    source.params.dispose()
  })
})

interface JsonAugmentDraws {
  color?: { brightness: number[]; saturation: number[]; contrast: number[] }
  translation?: { rows: number[]; cols: number[] }
  cutout?: { row: number[]; col: number[] }
}

function augmentDrawsOf(json: JsonAugmentDraws | null): AugmentDraws | null {
  if (!json) return null
  return {
    color: json.color ? { brightness: Float32Array.from(json.color.brightness), saturation: Float32Array.from(json.color.saturation), contrast: Float32Array.from(json.color.contrast) } : null,
    translation: json.translation ? { rows: Int32Array.from(json.translation.rows), cols: Int32Array.from(json.translation.cols) } : null,
    cutout: json.cutout ? { row: Int32Array.from(json.cutout.row), col: Int32Array.from(json.cutout.col) } : null
  }
}

describe('DiffAugment against the authors’ PyTorch code, with fixed draws', () => {
  interface Case {
    policies: Augmentation[]
    shape: ImageShape
    draws: JsonAugmentDraws
    output: Encoded
    inputGradient: Encoded
  }
  const fixture = readFixture<{ inputSeed: number; upstreamSeed: number; cases: Case[] }>('augment')

  it.each(fixture.cases.map((c) => [c.policies.join(','), c] as const))('%s: output and input gradient, TF.js (cpu, wasm) and the engine’s loops', async (_, c) => {
    const size = c.shape.reduce((a, b) => a * b, 1)
    const x = fixtureValues(fixture.inputSeed, size, 1)
    const upstream = fixtureValues(fixture.upstreamSeed, size, 1)
    const draws = augmentDrawsOf(c.draws)!
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend(backend)
      const input = tf.tensor4d(x, c.shape)
      const dy = tf.tensor4d(upstream, c.shape)
      const output = augment(input, draws)
      const gradient = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(augment(t, draws), dy)))(input)
      expectTensor(output.dataSync(), c.output, `${backend} output`)
      expectTensor(gradient.dataSync(), c.inputGradient, `${backend} input gradient`)
      tf.dispose([input, dy, output, gradient])
    }
    const out = new Float32Array(size)
    augmentForward(x, out, c.shape, draws)
    expectTensor(out, c.output, 'engine output')
    const dx = new Float32Array(size)
    augmentBackward(upstream, dx, c.shape, draws)
    expectTensor(dx, c.inputGradient, 'engine input gradient')
  })
})

describe('whole D+G iterations against PyTorch', () => {
  interface IterationFixture {
    arch: 'dcgan' | 'mlp'
    config: RunConfigInput & { channels?: 1 | 3 }
    batch: number
    inputs: { realSeed: number; realScale: number; noiseSeed: number; noiseScale: number; nz: number; generatorSeed: number; discriminatorSeed: number; scale: number }
    draws: { discriminator: { real: JsonAugmentDraws | null; fake: JsonAugmentDraws | null; mix: number[] | null }[]; generator: JsonAugmentDraws | null }
    figures: Record<'lossD' | 'lossG' | 'dReal' | 'dFakeBefore' | 'dFakeAfter', number>
    generator: Encoded[]
    generatorBuffers: Encoded[]
    generatorEma: Encoded[]
    discriminator: Encoded[]
    discriminatorBuffers: Encoded[]
  }
  const NAMES = ['dcgan-bce', 'dcgan-lsgan', 'dcgan-hinge-augment-ema', 'dcgan-wgan', 'dcgan-wgan-gp', 'mlp-bce', 'mlp-wgan-gp']
  const PATHS = ['cpu autograd', 'wasm autograd', 'wasm engine'] as const

  /** Fills each parameter from the shared hash: the i-th with seed + i, gammas around 1. */
  function fill(vars: tf.Variable[], seed: number, scale: number): void {
    vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(fixtureValues(seed + i, v.size, scale, v.name.endsWith('/gamma') ? 1 : 0), v.shape))))
  }

  function drawsOf(f: IterationFixture): IterationDraws {
    return {
      discriminator: f.draws.discriminator.map((d) => ({ real: augmentDrawsOf(d.real), fake: augmentDrawsOf(d.fake), mix: d.mix ? Float32Array.from(d.mix) : null })),
      generator: augmentDrawsOf(f.draws.generator)
    }
  }

  for (const name of NAMES) {
    const f = readFixture<IterationFixture>(`iteration-${name}`)
    const { channels = 1, ...settings } = f.config
    const config = parseRunConfig({ arch: f.arch, imageSize: 32, nz: f.inputs.nz, ngf: 2, ndf: 2, batchSize: f.batch, ...settings })

    it.each(PATHS)(`${name} on %s: figures, weights, statistics${config.ema > 0 ? ', EMA' : ''}`, async (path) => {
      await initBackend(path === 'cpu autograd' ? 'cpu' : 'wasm')
      disableWasmEngine(path !== 'wasm engine')
      let engineIterations = 0
      installFastEngine({ ...wasmDcganEngine, trainIteration: (...args) => (engineIterations++, wasmDcganEngine.trainIteration(...args)) })
      const nets = buildNetworks(config, channels)
      fill(nets.generator.params.trainable, f.inputs.generatorSeed, f.inputs.scale)
      fill(nets.discriminator.params.trainable, f.inputs.discriminatorSeed, f.inputs.scale)
      const optimizers = createOptimizers(config, nets)
      const average = config.ema > 0 ? new GeneratorAverage(buildGenerator(config, channels), nets.generator, config.ema) : null
      const { realSeed, realScale, noiseSeed, noiseScale, nz } = f.inputs
      const n = f.batch
      const reals = f.draws.discriminator.map((_, i) => tf.tensor4d(fixtureValues(realSeed + i, n * 32 * 32 * channels, realScale), [n, 32, 32, channels]))
      const noises = f.draws.discriminator.map((_, i) => tf.tensor4d(fixtureValues(noiseSeed + i, n * nz, noiseScale), [n, 1, 1, nz]))
      const figures = await trainIteration(nets, optimizers, reals, noises, stepOptionsOf(config), drawsOf(f))
      average?.update(0)
      for (const key of Object.keys(f.figures) as (keyof typeof f.figures)[]) {
        expect(figureError(figures[key], f.figures[key]), `${key}: ${figures[key]} vs PyTorch ${f.figures[key]}`).toBeLessThan(TOLERANCE)
      }
      const compare = (vars: tf.Variable[], expected: Encoded[], what: string) => {
        expect(vars.length, what).toBe(expected.length)
        vars.forEach((v, i) => expectTensor(v.dataSync(), expected[i], `${what} ${i} (${v.name})`))
      }
      compare(nets.generator.params.trainable, f.generator, 'generator')
      compare(nets.generator.params.buffers, f.generatorBuffers, 'generator buffer')
      compare(nets.discriminator.params.trainable, f.discriminator, 'discriminator')
      compare(nets.discriminator.params.buffers, f.discriminatorBuffers, 'discriminator buffer')
      if (average) compare(average.network.params.trainable, f.generatorEma, 'generator average')
      const engineRuns = path === 'wasm engine' && f.arch === 'dcgan' && fastEngineFallback(config) === null
      expect(engineIterations, 'iterations the wasm engine ran').toBe(engineRuns ? 1 : 0)
      tf.dispose([...reals, ...noises])
      average?.dispose()
      disposeOptimizers(optimizers)
      disposeNetworks(nets)
    })
  }
})
