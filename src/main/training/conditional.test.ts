// Conditional GANs on real labelled digits: the grid a row per class, tensors flat on every path (the wasm
// engine, autograd on cpu, webgpu on a software adapter), exact resume, a class's images depending on the
// class asked for, the generator file, and the parameter counts model-size.ts prints.
import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useSoftwareGpu } from '../../../tests/fixtures/software-gpu'
import { GRID_IMAGES_PER_CLASS, perClassLatents } from '../../shared/classes'
import { parseRunConfig, type RunConfigInput } from '../../shared/config'
import { modelSize } from '../../shared/model-size'
import { moveAlong } from '../../shared/latent-directions'
import { fixedNoise } from '../../shared/noise'
import { prepareDataset, type PreparedDataset } from '../data'
import { firstLayerOf } from '../explore/first-layer'
import { initBackend, releaseBackends } from './backend'
import { disableWasmEngine } from './backend/wasm-dcgan'
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint'
import { fastEngineFallbackNote, fastEngineFor, fastEngineForStep } from './fast-engine'
import { buildNetworks } from './gan'
import { decodeGenerator, encodeGenerator, generatorFromCheckpoint } from './generator-file'
import { stepOptionsOf } from './step-options'
import { Trainer } from './trainer'

const gpu = useSoftwareGpu()
let cacheDir: string
let digits: PreparedDataset

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'gan-conditional-'))
  digits = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir })
})
afterAll(() => {
  disableWasmEngine(false)
  releaseBackends()
  rmSync(cacheDir, { recursive: true, force: true })
})

const tinyInput: RunConfigInput = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 10, iterations: 100, fixedNoiseCount: 4, seed: 3, conditional: true }
const tiny = parseRunConfig(tinyInput)
const IMAGE = 32 * 32

async function losses(t: Trainer, n: number): Promise<number[][]> {
  const out: number[][] = []
  for (let i = 0; i < n; i++) {
    const r = await t.step()
    out.push([r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter])
  }
  return out
}

describe('a conditional DCGAN on MNIST digits (wasm engine)', () => {
  beforeAll(async () => {
    await initBackend('wasm')
    disableWasmEngine(false)
  })

  it('trains on the fast engine, with one row of the progress grid per digit', async () => {
    const t = new Trainer(tiny, digits)
    expect(t.classCount).toBe(10)
    expect(fastEngineFor(t.nets.generator, t.nets.discriminator)).not.toBeNull()
    const first = await t.step()
    expect(Number.isFinite(first.lossD) && Number.isFinite(first.lossG)).toBe(true)
    const grid = await t.renderFixedNoise()
    expect(grid).toHaveLength(10 * GRID_IMAGES_PER_CLASS * IMAGE)
    // Row k is digit k drawn from the same 8 vectors: the rows differ, and each equals generating it alone.
    const row = (k: number) => grid.subarray(k * GRID_IMAGES_PER_CLASS * IMAGE, (k + 1) * GRID_IMAGES_PER_CLASS * IMAGE)
    expect(Array.from(row(3))).not.toEqual(Array.from(row(4)))
    const alone = await t.generate(perClassLatents(fixedNoise(tiny, GRID_IMAGES_PER_CLASS), tiny.nz, 10, GRID_IMAGES_PER_CLASS).subarray(3 * 8 * 18, 4 * 8 * 18))
    expect(Array.from(alone)).toEqual(Array.from(row(3)))
    t.dispose()
  })

  it('continues from a snapshot exactly as an uninterrupted run does', async () => {
    const straight = new Trainer(tiny, digits)
    const expected = await losses(straight, 4)
    const first = new Trainer(tiny, digits)
    await losses(first, 2)
    const snapshot = await first.snapshot()
    first.dispose()
    const resumed = new Trainer(tiny, digits)
    resumed.restore(snapshot)
    expect(await losses(resumed, 2)).toEqual(expected.slice(2))
    straight.dispose()
    resumed.dispose()
  })

  it('keeps the number of tensors flat across iterations, grids and snapshots, and leaves none behind', async () => {
    const before = tf.memory().numTensors
    const t = new Trainer(tiny, digits)
    await t.step()
    await t.renderFixedNoise()
    const steady = tf.memory().numTensors
    for (let i = 0; i < 3; i++) {
      await t.step()
      await t.renderFixedNoise()
      await t.snapshot()
    }
    expect(tf.memory().numTensors).toBe(steady)
    t.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('saves a generator file that keeps its classes and draws the same images', async () => {
    const t = new Trainer(tiny, digits)
    await t.step()
    const classes = digits.classes!.names
    const loaded = decodeGenerator(await encodeGenerator(t.nets.generator, { config: tiny, channels: 1, classes, iteration: 1 }))
    expect(loaded.meta.classes).toEqual(classes)
    const latents = perClassLatents(fixedNoise(tiny, 2), tiny.nz, 10, 2)
    expect(Array.from(await loaded.generate(latents))).toEqual(Array.from(await t.generate(latents)))
    // A vector without its class weights is refused with the reason.
    await expect(loaded.generate(fixedNoise(tiny, 3))).rejects.toThrow('latent vectors must be a multiple of nz + classes = 8 + 10 values, got 24')
    loaded.dispose()
    t.dispose()
  })
})

describe('a conditional WGAN-GP with DiffAugment and EMA on MNIST digits (wasm)', () => {
  // Two critic steps instead of five: the same code, less time. Every augmentation: translation and cutout move
  // and blank the images, which the label maps (joined after them) must not follow.
  const options = parseRunConfig({ ...tinyInput, loss: 'wgan-gp', augment: ['color', 'translation', 'cutout'], ema: 0.9, dStepsPerG: 2 })

  beforeAll(async () => {
    await initBackend('wasm')
    disableWasmEngine(false)
  })

  it('trains with autograd and says so, resumes exactly from checkpoint bytes, and its EMA generator draws a row per digit', async () => {
    const straight = new Trainer(options, digits)
    // The penalty's second-order gradient is autograd's: the engine steps aside, and the user is told why.
    expect(fastEngineForStep(straight.nets, stepOptionsOf(options))).toBeNull()
    expect(fastEngineFallbackNote(options, 'wasm')).toMatch(/gradient penalty .* autograd/)
    const expected = await losses(straight, 4)
    for (const figures of expected) expect(figures.every(Number.isFinite)).toBe(true)

    const first = new Trainer(options, digits)
    await losses(first, 2)
    const { snapshot } = decodeCheckpoint(encodeCheckpoint(await first.snapshot(), 1))
    first.dispose()
    const resumed = new Trainer(options, digits)
    resumed.restore(snapshot)
    expect(await losses(resumed, 2)).toEqual(expected.slice(2))
    const [a, b] = [await straight.snapshot(), await resumed.snapshot()]
    const values = (tensors: Float32Array[]) => tensors.map((t) => Array.from(t))
    expect(values(b.generatorEma)).toEqual(values(a.generatorEma))
    expect(values(b.generator)).toEqual(values(a.generator))
    expect(values(b.discriminator)).toEqual(values(a.discriminator))

    // The average is a whole generator, the label embedding (G's last weight) included, and it lags the trained one.
    const embedding = straight.nets.generator.params.trainable.length - 1
    expect(a.generatorEma).toHaveLength(a.generator.length)
    expect(a.generatorEma[embedding]).toHaveLength(10 * 8)
    expect(Array.from(a.generatorEma[embedding])).not.toEqual(Array.from(a.generator[embedding]))

    // The progress grid renders with the average: a row per digit, each row its class, as the checkpoint's EMA generator draws it.
    const grid = await resumed.renderFixedNoise()
    expect(grid).toHaveLength(10 * GRID_IMAGES_PER_CLASS * IMAGE)
    const row = (k: number) => Array.from(grid.subarray(k * GRID_IMAGES_PER_CLASS * IMAGE, (k + 1) * GRID_IMAGES_PER_CLASS * IMAGE))
    expect(row(2)).not.toEqual(row(7))
    const latents = perClassLatents(fixedNoise(options, GRID_IMAGES_PER_CLASS), options.nz, 10, GRID_IMAGES_PER_CLASS)
    const classes = digits.classes!.names
    const average = generatorFromCheckpoint(options, { channels: 1, classes }, b.iteration, b, 'ema')
    const trained = generatorFromCheckpoint(options, { channels: 1, classes }, b.iteration, b, 'raw')
    expect(average.meta.weights).toBe('ema')
    const fromAverage = await average.generate(latents)
    for (let i = 0; i < grid.length; i++) expect(Math.abs(fromAverage[i] - grid[i])).toBeLessThan(1e-5)
    expect(Array.from(await trained.generate(latents))).toEqual(Array.from(await resumed.generate(latents, 'raw')))
    expect(Array.from(await trained.generate(latents))).not.toEqual(Array.from(fromAverage))
    average.dispose()
    trained.dispose()
    straight.dispose()
    resumed.dispose()
  })
})

describe('conditional networks on cpu autograd', () => {
  beforeAll(async () => {
    await initBackend('cpu')
  })

  it('keeps the number of tensors flat (DCGAN and MLP)', async () => {
    for (const config of [tiny, { ...tiny, arch: 'mlp' as const }]) {
      const t = new Trainer(config, digits)
      await t.step()
      await t.renderFixedNoise()
      const steady = tf.memory().numTensors
      await t.step()
      await t.renderFixedNoise()
      expect(tf.memory().numTensors, config.arch).toBe(steady)
      t.dispose()
    }
  })

  it('counts the parameters model-size.ts prints, for every architecture and size', () => {
    const cases: [RunConfigInput, 1 | 3, number][] = [
      [{ imageSize: 32, ngf: 8, ndf: 4, nz: 12 }, 1, 0],
      [{ imageSize: 32, ngf: 8, ndf: 4, nz: 12, conditional: true }, 1, 10],
      [{ imageSize: 64, ngf: 4, ndf: 6, nz: 70, conditional: true }, 3, 3],
      [{ imageSize: 32, arch: 'mlp', nz: 20 }, 1, 0],
      [{ imageSize: 32, arch: 'mlp', nz: 60, conditional: true }, 3, 7]
    ]
    for (const [input, channels, classes] of cases) {
      const config = parseRunConfig(input)
      const nets = buildNetworks(config, channels, classes)
      const embedding = nets.generator.params.trainable.find((v) => v.name.endsWith('/label_embedding'))
      expect(modelSize(config, channels, classes), JSON.stringify(input)).toEqual({
        generator: nets.generator.params.parameterCount(),
        discriminator: nets.discriminator.params.parameterCount(),
        embedding: embedding?.size ?? 0
      })
      nets.generator.params.dispose()
      nets.discriminator.params.dispose()
    }
  })

  it("gives latent directions in z: the first layer's weights for z, not for the label embedding", async () => {
    const generator = buildNetworks(tiny, 1, 10).generator
    const layer = await firstLayerOf(generator, tiny.nz)
    const kernel = generator.params.trainable[0] // convT0/kernel [4, 4, 16, nz + embedding]
    const [, , channels, inputs] = kernel.shape
    expect(inputs).toBe(tiny.nz + 8)
    expect(layer.weight).toHaveLength(16 * channels * tiny.nz)
    const values = await kernel.data()
    // BatchNorm is fresh (gamma ~ 1, running mean 0, variance 1): W is the kernel's z columns scaled alike.
    const gamma = await generator.params.trainable[1].data()
    const scale = (c: number) => gamma[c] / Math.sqrt(1 + 1e-5)
    for (const [row, k] of [[0, 0], [5, 7], [255, 3]]) expect(layer.weight[row * tiny.nz + k]).toBeCloseTo(values[row * inputs + k] * scale(row % channels), 6)
    // A picked vector moves in z and keeps its class.
    const moved = moveAlong([...new Array(8).fill(0), 0, 1], [{ direction: new Array(8).fill(1), amount: 2 }])
    expect(Array.from(moved)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 0, 1])
    generator.params.dispose()
  })

  it('refuses a data set without classes, and a network called without them', async () => {
    const { labels: _labels, classes: _classes, ...unlabelled } = digits
    expect(() => new Trainer(tiny, unlabelled)).toThrow('a conditional run needs a data set with classes (class subfolders, or a built-in set)')
    const nets = buildNetworks(tiny, 1, 10)
    expect(() => nets.generator.apply(tf.zeros([2, 1, 1, 8]), { training: false, updateStats: false })).toThrow('this generator is conditional: it needs the class of each image')
    expect(() => nets.discriminator.apply(tf.zeros([2, 32, 32, 1]), { training: false, updateStats: false }, tf.zeros([2, 9]))).toThrow(
      'this discriminator needs class weights of shape [2, 10], got [2,9]'
    )
    nets.generator.params.dispose()
    nets.discriminator.params.dispose()
  })
})

describe.skipIf(gpu.skip)('a conditional DCGAN on webgpu (software adapter)', () => {
  it('keeps tensors flat across iterations, grids and snapshots', async () => {
    await initBackend('webgpu')
    const t = new Trainer({ ...tiny, batchSize: 4 }, digits)
    await t.step()
    await t.renderFixedNoise()
    const steady = tf.memory().numTensors
    for (let i = 0; i < 2; i++) {
      await t.step()
      await t.renderFixedNoise()
      await t.snapshot()
    }
    expect(tf.memory().numTensors).toBe(steady)
    t.dispose()
  })
})
