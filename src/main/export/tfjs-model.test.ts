import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig, type RunConfigInput } from '../../shared/config'
import { Random } from '../../shared/random'
import { initBackend } from '../training/backend'
import { buildGenerator } from '../training/gan'
import { generateImages } from '../training/generate'
import { TRAIN } from '../training/layers'
import { ExportError } from './files'
import { exportGeneratorModel, WEIGHT_SHARD_BYTES } from './tfjs-model'

let root: string
let server: Server
let baseUrl: string

beforeAll(async () => {
  await initBackend('wasm')
  expect(tf.getBackend()).toBe('wasm')
  root = mkdtempSync(join(tmpdir(), 'gan-tfjs-model-'))
  // A browser loads the model over HTTP, resolving the manifest's shard paths against model.json's URL:
  // serve the export folder the same way.
  server = createServer((request, response) => {
    try {
      const body = readFileSync(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)))
      response.writeHead(200).end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(root, { recursive: true, force: true })
})

/**
 * A generator built by our own builder, then given weights a fresh one never has: BatchNorm running
 * statistics from a few training-mode passes, and non-zero betas and biases, so that every kind of weight
 * must arrive in the right place.
 */
function preparedGenerator(input: RunConfigInput, channels: 1 | 3, classes = 0) {
  const config = parseRunConfig(input)
  const generator = buildGenerator(config, channels, classes)
  const random = new Random(5, 'export-test')
  const classWeights = () => (classes === 0 ? undefined : tf.oneHot(Array.from({ length: 8 }, () => random.int(classes)), classes).toFloat())
  tf.tidy(() => {
    for (let i = 0; i < 3; i++) generator.apply(tf.tensor4d(random.normalArray(8 * config.nz), [8, 1, 1, config.nz]), TRAIN, classWeights())
    generator.params.trainableNames().forEach((name, i) => {
      const v = generator.params.trainable[i]
      if (/(beta|bias)$/.test(name)) v.assign(tf.tensor(random.normalArray(v.size, 0, 0.1), v.shape))
    })
  })
  return { config, generator }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

/** A conditional generator's vectors: z, then class weights (one-hot, and a mixture of two classes). */
function conditionalLatents(nz: number, classes: number): Float32Array {
  const z = new Random(11, 'export-test-z').normalArray(3 * nz)
  const weights = [[1, 0], [0, 1], [0.3, 0.7]].map(([a, b]) => Array.from({ length: classes }, (_, k) => (k === 0 ? a : k === classes - 1 ? b : 0)))
  return Float32Array.from([0, 1, 2].flatMap((i) => [...z.subarray(i * nz, (i + 1) * nz), ...weights[i]]))
}

async function exportAndCompare(name: string, input: RunConfigInput, channels: 1 | 3, classNames: string[] = []) {
  const { config, generator } = preparedGenerator(input, channels, classNames.length)
  const dir = join(root, name)
  const before = tf.memory().numTensors
  const exported = await exportGeneratorModel(generator, { config, channels, classes: classNames }, dir)
  expect(tf.memory().numTensors).toBe(before)

  const model = await tf.loadLayersModel(`${baseUrl}/${name}/model.json`)
  const width = config.nz + classNames.length
  const latents = classNames.length ? conditionalLatents(config.nz, classNames.length) : new Random(11, 'export-test-z').normalArray(3 * config.nz)
  const ours = await generateImages(generator, config.nz, latents)
  const theirs = tf.tidy(() => (model.predict(tf.tensor4d(latents, [3, 1, 1, width])) as tf.Tensor).dataSync() as Float32Array)
  expect(model.outputs[0].shape).toEqual([null, config.imageSize, config.imageSize, channels])
  expect(maxAbsDiff(theirs, ours)).toBeLessThan(1e-5)
  // Not trivially equal: the images vary.
  expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.01)
  model.dispose()
  generator.params.dispose()
  return { exported, dir }
}

describe('exportGeneratorModel', () => {
  it('exports a 32 px grayscale DCGAN generator that TF.js loads and runs like ours', async () => {
    const { exported, dir } = await exportAndCompare('dcgan32', { imageSize: 32, nz: 16, ngf: 8, seed: 3 }, 1)
    expect(exported.modelJson).toBe(join(dir, 'model.json'))
    expect(exported.weights).toEqual([join(dir, 'group1-shard1of1.bin')])
    const json = JSON.parse(readFileSync(exported.modelJson, 'utf8'))
    expect(json.format).toBe('layers-model')
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin'])
    // Keras lists trainable weights first, then the non-trainable running statistics, as we do.
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      'convT0/kernel', 'bn0/gamma', 'bn0/beta',
      'convT1/kernel', 'bn1/gamma', 'bn1/beta',
      'convT2/kernel', 'bn2/gamma', 'bn2/beta',
      'convT3/kernel',
      'bn0/moving_mean', 'bn0/moving_variance',
      'bn1/moving_mean', 'bn1/moving_variance',
      'bn2/moving_mean', 'bn2/moving_variance'
    ])
    expect(json.userDefinedMetadata.ganStudio).toMatchObject({ arch: 'dcgan', imageSize: 32, channels: 1, nz: 16 })
    // No temp files left behind.
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json'])
  })

  it('exports a 64 px RGB DCGAN generator', async () => {
    await exportAndCompare('dcgan64', { imageSize: 64, nz: 10, ngf: 4, seed: 4 }, 3)
  })

  it('exports an MLP generator, sharding weights larger than 4 MB', async () => {
    const { exported } = await exportAndCompare('mlp64', { arch: 'mlp', imageSize: 64, nz: 12, seed: 5 }, 3)
    // 512 x 64 x 64 x 3 float32 kernel alone is 25 MB.
    expect(exported.weights.length).toBeGreaterThan(5)
    const sizes = exported.weights.map((p) => readFileSync(p).length)
    expect(sizes.slice(0, -1).every((s) => s === WEIGHT_SHARD_BYTES)).toBe(true)
    expect(basename(exported.weights[0])).toBe(`group1-shard1of${exported.weights.length}.bin`)
  })

  it('exports a conditional generator with its label embedding folded into the first layer: input z and the class weights', async () => {
    const { exported } = await exportAndCompare('conditional-dcgan', { imageSize: 32, nz: 16, ngf: 8, seed: 6, conditional: true }, 1, ['cat', 'dog', 'bird'])
    const json = JSON.parse(readFileSync(exported.modelJson, 'utf8'))
    expect(json.userDefinedMetadata.ganStudio).toMatchObject({ classes: ['cat', 'dog', 'bird'], input: expect.stringContaining('[n, 1, 1, nz + 3]') })
    expect(json.weightsManifest[0].weights[0]).toMatchObject({ name: 'convT0/kernel', shape: [4, 4, 32, 19] })
    await exportAndCompare('conditional-mlp', { arch: 'mlp', imageSize: 32, nz: 12, seed: 7, conditional: true }, 3, ['a', 'b'])
  })

  it('keeps the tensor count flat across repeated exports', async () => {
    const { config, generator } = preparedGenerator({ imageSize: 32, nz: 8, ngf: 4 }, 1)
    const dir = join(root, 'repeat')
    await exportGeneratorModel(generator, { config, channels: 1 }, dir)
    const before = tf.memory().numTensors
    for (let i = 0; i < 3; i++) await exportGeneratorModel(generator, { config, channels: 1 }, dir, { overwrite: true })
    expect(tf.memory().numTensors).toBe(before)
    generator.params.dispose()
  })

  it('refuses to overwrite an existing export unless asked, and writes nothing then', async () => {
    const { config, generator } = preparedGenerator({ imageSize: 32, nz: 8, ngf: 4 }, 1)
    const dir = join(root, 'existing')
    const { weights } = await exportGeneratorModel(generator, { config, channels: 1 }, dir)
    writeFileSync(weights[0], 'old weights')
    rmSync(join(dir, 'model.json'))
    await expect(exportGeneratorModel(generator, { config, channels: 1 }, dir)).rejects.toThrow(ExportError)
    await expect(exportGeneratorModel(generator, { config, channels: 1 }, dir)).rejects.toThrow(/already exists.*allow overwriting/)
    expect(readdirSync(dir)).toEqual(['group1-shard1of1.bin'])
    expect(readFileSync(weights[0], 'utf8')).toBe('old weights')
    await exportGeneratorModel(generator, { config, channels: 1 }, dir, { overwrite: true })
    expect(readFileSync(weights[0]).length).toBeGreaterThan(100)
    generator.params.dispose()
  })

  it('refuses a config that does not describe the generator, with a message saying so', async () => {
    const { config, generator } = preparedGenerator({ imageSize: 32, nz: 8, ngf: 4 }, 1)
    const before = tf.memory().numTensors
    const exportWith = (meta: Parameters<typeof exportGeneratorModel>[1]) => exportGeneratorModel(generator, meta, join(root, 'never'))
    await expect(exportWith({ config: { ...config, nz: 9 }, channels: 1 })).rejects.toThrow(/does not match.*nz = 9/)
    await expect(exportWith({ config: { ...config, imageSize: 64 }, channels: 1 })).rejects.toThrow(/64 px DCGAN has 5/)
    await expect(exportWith({ config, channels: 3 })).rejects.toThrow(/1-channel images, not 3/)
    await expect(exportWith({ config: { ...config, arch: 'mlp' }, channels: 1 })).rejects.toThrow(/not an MLP generator/)
    expect(tf.memory().numTensors).toBe(before)
    expect(() => readdirSync(join(root, 'never'))).toThrow()
    generator.params.dispose()
  })
})
