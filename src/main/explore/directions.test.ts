// Latent directions on real generators (DCGAN and MLP, built from a config and given non-trivial BatchNorm
// statistics): SeFa's are orthonormal eigenvectors of W^T W; moving along one changes the image while a
// null direction of W changes nothing; GANSpace recovers the known axes of a planted linear layer.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig, type RunConfigInput } from '../../shared/config'
import { moveAlong } from '../../shared/latent-directions'
import { seededNoise } from '../../shared/noise'
import { Random } from '../../shared/random'
import { dotProduct, orthonormalizeRows } from '../linalg/symmetric-eigen'
import { initBackend } from '../training/backend'
import { isDcganNetwork } from '../training/dcgan'
import { buildGenerator } from '../training/gan'
import { generateImages } from '../training/generate'
import { EVAL, LEAKY_SLOPE } from '../training/layers'
import type { Network } from '../training/network'
import { readTensor } from '../training/read'
import { ganspaceDirections, sefaDirections } from './directions'
import { firstLayerOf, type FirstLayer } from './first-layer'

beforeAll(async () => {
  await initBackend('wasm')
})

/** A generator with every weight and BatchNorm statistic drawn at random, as after some training. */
function trainedLooking(input: RunConfigInput): { generator: Network; nz: number } {
  const config = parseRunConfig(input)
  const generator = buildGenerator(config, 1)
  const random = new Random(11, 'weights')
  for (const v of [...generator.params.trainable, ...generator.params.buffers]) {
    const positive = /running_var|gamma/.test(v.name)
    // Kernels wide enough that the image depends visibly on z (N(0, 0.02) makes nearly flat images).
    const std = positive ? 0.3 : /kernel/.test(v.name) ? 0.2 : 0.05
    const values = random.normalArray(v.size, positive ? 1 : 0, std).map((x) => (positive ? Math.abs(x) + 0.1 : x))
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)))
  }
  return { generator, nz: config.nz }
}

/** act(W z + b) for one z, from the layer as found. */
function activate(layer: FirstLayer, z: Float32Array): Float64Array {
  const y = new Float64Array(layer.outputs)
  for (let r = 0; r < layer.outputs; r++) {
    let s = layer.bias[r]
    for (let k = 0; k < layer.nz; k++) s += layer.weight[r * layer.nz + k] * z[k]
    y[r] = layer.activation === 'relu' ? Math.max(0, s) : layer.activation === 'leakyRelu' && s < 0 ? LEAKY_SLOPE * s : s
  }
  return y
}

/** The network's own first block (layer, eval-mode BatchNorm, nonlinearity) on one z, flattened. */
async function firstBlockOfNetwork(generator: Network, z: Float32Array): Promise<Float32Array> {
  const out = tf.tidy(() => {
    const input = tf.tensor4d(z, [1, 1, 1, z.length])
    if (isDcganNetwork(generator)) {
      const layer = generator.layers[0]
      const y = tf.conv2dTranspose(input, layer.kernel as tf.Tensor4D, [1, 4, 4, layer.outChannels], 1, 'valid')
      return tf.relu(layer.norm!.apply(y, EVAL))
    }
    const [kernel, bias] = generator.params.trainable
    return tf.leakyRelu(tf.add(tf.matMul(tf.reshape(input, [1, z.length]), kernel as tf.Tensor2D), bias), LEAKY_SLOPE)
  })
  try {
    return await readTensor(out)
  } finally {
    out.dispose()
  }
}

async function image(generator: Network, nz: number, z: Float32Array): Promise<Float32Array> {
  return generateImages(generator, nz, z)
}

const maxDifference = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)

const ARCHITECTURES: { name: string; config: RunConfigInput; outputs: number }[] = [
  // ngf 1 at 32 px: the first layer has 4 x 4 x 4 = 64 outputs for 100 inputs, so W has a null space.
  { name: 'DCGAN', config: { imageSize: 32, ngf: 1, ndf: 4, nz: 100, seed: 3 }, outputs: 64 },
  // The MLP's first layer has 128 outputs: nz 160 leaves a null space of 32 dimensions.
  { name: 'MLP', config: { arch: 'mlp', imageSize: 32, nz: 160, seed: 3 }, outputs: 128 }
]

describe.each(ARCHITECTURES)('SeFa on the $name generator', ({ config, outputs }) => {
  it('reads the first layer the network computes, BatchNorm folded in', async () => {
    const { generator, nz } = trainedLooking(config)
    const layer = await firstLayerOf(generator, nz)
    expect(layer.outputs).toBe(outputs)
    const z = seededNoise(5, nz, 1)
    const ours = activate(layer, z)
    const theirs = await firstBlockOfNetwork(generator, z)
    expect(maxDifference(Float32Array.from(ours), theirs)).toBeLessThan(1e-4)
    generator.params.dispose()
  })

  it('gives orthonormal eigenvectors of W^T W, strongest first; the top one changes the image, a null direction nothing', async () => {
    const { generator, nz } = trainedLooking(config)
    const layer = await firstLayerOf(generator, nz)
    const { directions } = sefaDirections(layer, nz)
    expect(directions).toHaveLength(nz)
    const wv = (v: number[]) => Array.from({ length: layer.outputs }, (_, r) => dotProduct(layer.weight.subarray(r * nz, (r + 1) * nz), v))
    for (const d of directions.slice(0, 12)) {
      // W^T W v = lambda v, i.e. |W v|^2 = lambda for a unit v, and v orthogonal to the others.
      expect(wv(d.vector).reduce((s, x) => s + x * x, 0)).toBeCloseTo(d.strength, 6)
      for (const other of directions.slice(0, 12)) expect(dotProduct(d.vector, other.vector)).toBeCloseTo(d === other ? 1 : 0, 9)
    }
    for (let i = 0; i + 1 < nz; i++) expect(directions[i].strength).toBeGreaterThanOrEqual(directions[i + 1].strength)
    expect(directions.reduce((s, d) => s + d.share, 0)).toBeCloseTo(1, 9)
    // Beyond the rank of W the eigenvalues vanish.
    expect(directions[outputs].strength).toBeLessThan(1e-9 * directions[0].strength)

    // A random vector with its row-space part removed: W n = 0.
    const random = new Random(4, 'null')
    const rowSpace = new Float64Array(outputs * nz)
    directions.slice(0, outputs).forEach((d, i) => rowSpace.set(d.vector, i * nz))
    const null_ = Float64Array.from({ length: nz }, () => random.normal())
    for (let i = 0; i < outputs; i++) {
      const dot = dotProduct(null_, rowSpace.subarray(i * nz, (i + 1) * nz))
      for (let k = 0; k < nz; k++) null_[k] -= dot * rowSpace[i * nz + k]
    }
    const unitNull = Array.from(null_, (v) => v / Math.hypot(...null_))
    expect(Math.max(...wv(unitNull).map(Math.abs))).toBeLessThan(1e-9)

    const z = seededNoise(9, nz, 1)
    const start = await image(generator, nz, z)
    const alongTop = await image(generator, nz, moveAlong(z, [{ direction: directions[0].vector, amount: 3 }]))
    const alongNull = await image(generator, nz, moveAlong(z, [{ direction: unitNull, amount: 3 }]))
    // Pixels are in [-1, 1]: the null move changes them only by float32 rounding of z.
    expect(maxDifference(start, alongTop)).toBeGreaterThan(0.05)
    expect(maxDifference(start, alongNull)).toBeLessThan(1e-4)
    generator.params.dispose()
  })
})

describe('GANSpace', () => {
  it('on a planted linear layer finds its axes (the right singular vectors of W), as SeFa does', async () => {
    const nz = 24
    const outputs = 40
    const singular = [6, 5, 4, 3, 2.5, 2, 1.5, 1]
    // W = sum_i s_i u_i v_i^T with orthonormal u (outputs) and v (nz).
    const u = Float64Array.from({ length: singular.length * outputs }, (_, i) => new Random(1, 'u').normalArray(singular.length * outputs)[i])
    const v = Float64Array.from(new Random(2, 'v').normalArray(singular.length * nz))
    orthonormalizeRows(u, singular.length, outputs)
    orthonormalizeRows(v, singular.length, nz)
    const weight = new Float64Array(outputs * nz)
    singular.forEach((s, i) => {
      for (let r = 0; r < outputs; r++) for (let k = 0; k < nz; k++) weight[r * nz + k] += s * u[i * outputs + r] * v[i * nz + k]
    })
    const layer: FirstLayer = { nz, outputs, weight, bias: new Float64Array(outputs).fill(0.3), activation: 'none', description: 'a planted layer' }
    const tensors = tf.memory().numTensors
    const found = await ganspaceDirections(layer, 5, { samples: 4000, seed: 1 })
    expect(tf.memory().numTensors).toBe(tensors)
    const sefa = sefaDirections(layer, 5)
    found.directions.forEach((d, i) => {
      const axis = v.subarray(i * nz, (i + 1) * nz)
      expect(Math.abs(dotProduct(d.vector, axis))).toBeGreaterThan(0.99)
      expect(Math.abs(dotProduct(sefa.directions[i].vector, axis))).toBeCloseTo(1, 9)
      // The variance of W z along u_i is s_i^2 (z is standard normal), up to sampling error.
      expect(d.strength / singular[i] ** 2).toBeGreaterThan(0.9)
      expect(d.strength / singular[i] ** 2).toBeLessThan(1.1)
      expect(dotProduct(d.vector, d.vector)).toBeCloseTo(1, 9)
    })
  })

  it.each(ARCHITECTURES)('on the $name generator gives the same unit directions every time, and they change the image', async ({ config }) => {
    const { generator, nz } = trainedLooking(config)
    const layer = await firstLayerOf(generator, nz)
    const first = await ganspaceDirections(layer, 5, { samples: 1000 })
    const again = await ganspaceDirections(layer, 5, { samples: 1000 })
    expect(again.directions.map((d) => d.vector)).toEqual(first.directions.map((d) => d.vector))
    for (let i = 0; i + 1 < 5; i++) expect(first.directions[i].strength).toBeGreaterThanOrEqual(first.directions[i + 1].strength)
    const z = seededNoise(9, nz, 1)
    const start = await image(generator, nz, z)
    for (const d of first.directions.slice(0, 2)) {
      expect(dotProduct(d.vector, d.vector)).toBeCloseTo(1, 9)
      expect(maxDifference(start, await image(generator, nz, moveAlong(z, [{ direction: d.vector, amount: 3 }])))).toBeGreaterThan(0.01)
    }
    generator.params.dispose()
  })
})
