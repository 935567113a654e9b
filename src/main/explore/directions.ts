// Latent directions from a checkpoint's first layer. SeFa (Shen and Zhou 2021): the eigenvectors of W^T W,
// the unit z-moves that change the first layer's output most, in closed form. GANSpace (Harkonen et al.
// 2020): PCA of the first layer's activations over random z, each component carried back to z by a linear
// regression of z on the components' coordinates. Both give unit vectors in z, strongest first.
import * as tf from '@tensorflow/tfjs'
import type { DirectionMethod, LatentDirection } from '../../shared/latent-directions'
import { Random } from '../../shared/random'
import { principalComponents } from '../linalg/pca'
import { canonicalSign, norm, solveSymmetricPositive, symmetricEigen } from '../linalg/symmetric-eigen'
import { LEAKY_SLOPE } from '../training/layers'
import type { FirstLayer } from './first-layer'

export interface FoundDirections {
  method: DirectionMethod
  directions: LatentDirection[]
  detail: string
}

/** GANSpace's default: a few thousand z, enough for stable top components of an 8,192-wide layer. */
export const GANSPACE_SAMPLES = 3000
/** Constant, so that the same checkpoint always gives the same GANSpace directions. */
const GANSPACE_SEED = 20200406

export async function latentDirections(layer: FirstLayer, method: DirectionMethod, count: number): Promise<FoundDirections> {
  return method === 'sefa' ? sefaDirections(layer, count) : ganspaceDirections(layer, count)
}

/** The top `count` eigenvectors of W^T W, with their eigenvalues and shares of its trace. */
export function sefaDirections(layer: FirstLayer, count: number): FoundDirections {
  const { nz, outputs, weight } = layer
  const gram = new Float64Array(nz * nz)
  for (let r = 0; r < outputs; r++) {
    const row = weight.subarray(r * nz, (r + 1) * nz)
    for (let i = 0; i < nz; i++) {
      const wi = row[i]
      if (wi === 0) continue
      for (let j = 0; j <= i; j++) gram[i * nz + j] += wi * row[j]
    }
  }
  const { values, vectors } = symmetricEigen(gram, nz)
  const trace = values.reduce((a, v) => a + Math.max(0, v), 0)
  const directions = Array.from({ length: Math.min(count, nz) }, (_, i): LatentDirection => {
    const vector = vectors.slice(i * nz, (i + 1) * nz)
    canonicalSign(vector)
    const strength = Math.max(0, values[i])
    return { rank: i + 1, vector: Array.from(vector), strength, share: trace > 0 ? strength / trace : 0 }
  })
  return { method: 'sefa', directions, detail: `eigenvectors of WᵀW, W being ${layer.description}` }
}

export interface GanspaceOptions {
  samples?: number
  seed?: number
}

/**
 * GANSpace: PCA of act(W z + b) over `samples` random z; then z ~ X M by least squares, where X holds each
 * sample's whitened component coordinates, and row i of M (normalized) is component i's direction in z.
 */
export async function ganspaceDirections(layer: FirstLayer, count: number, options: GanspaceOptions = {}): Promise<FoundDirections> {
  const { nz, outputs } = layer
  const samples = options.samples ?? GANSPACE_SAMPLES
  const k = Math.min(count, nz, outputs)
  const z = new Random(options.seed ?? GANSPACE_SEED, 'ganspace-samples').normalArray(samples * nz)
  const activations = tf.tidy(() => {
    // W^T laid out explicitly: TF.js's transposed-operand matMul is many times slower on wasm.
    const wt = new Float32Array(nz * outputs)
    for (let r = 0; r < outputs; r++) for (let k = 0; k < nz; k++) wt[k * outputs + r] = layer.weight[r * nz + k]
    const y = tf.add(tf.matMul(tf.tensor2d(z, [samples, nz]), tf.tensor2d(wt, [nz, outputs])), tf.tensor1d(Float32Array.from(layer.bias)))
    if (layer.activation === 'relu') return tf.relu(y)
    if (layer.activation === 'leakyRelu') return tf.leakyRelu(y, LEAKY_SLOPE)
    return y
  }) as tf.Tensor2D
  let pca
  try {
    pca = await principalComponents(activations, k, { seed: options.seed ?? GANSPACE_SEED })
  } finally {
    activations.dispose()
  }
  // Least squares z = X M with X the whitened scores (samples x k): M = (X^T X)^-1 X^T Z.
  const x = new Float64Array(samples * k)
  for (let s = 0; s < samples; s++) {
    for (let c = 0; c < k; c++) x[s * k + c] = pca.variances[c] > 0 ? pca.scores[s * k + c] / Math.sqrt(pca.variances[c]) : 0
  }
  const xtx = new Float64Array(k * k)
  const xtz = new Float64Array(k * nz)
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < k; i++) {
      const xi = x[s * k + i]
      for (let j = 0; j < k; j++) xtx[i * k + j] += xi * x[s * k + j]
      for (let m = 0; m < nz; m++) xtz[i * nz + m] += xi * z[s * nz + m]
    }
  }
  // A tiny ridge keeps a component with no variance (a dead layer) from making the system singular.
  for (let i = 0; i < k; i++) xtx[i * k + i] += 1e-9 * samples
  const m = solveSymmetricPositive(xtx, k, xtz, nz)
  const directions = Array.from({ length: k }, (_, i): LatentDirection => {
    const vector = m.slice(i * nz, (i + 1) * nz)
    const length = norm(vector)
    for (let j = 0; j < nz; j++) vector[j] = length > 0 ? vector[j] / length : 0
    return { rank: i + 1, vector: Array.from(vector), strength: pca.variances[i], share: pca.totalVariance > 0 ? pca.variances[i] / pca.totalVariance : 0 }
  })
  const detail = `PCA of the activations of ${layer.description} over ${samples.toLocaleString('en-US')} random z, regressed back to z`
  return { method: 'ganspace', directions, detail }
}
