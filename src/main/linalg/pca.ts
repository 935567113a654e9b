// Principal component analysis of the rows of a data matrix: the top directions of variance. Used by GANSpace
// (a generator's first-layer activations) and the nearest-image index (training images). The large products
// run on TF.js (any backend); the small eigenproblems in float64 here.
import * as tf from '@tensorflow/tfjs'
import { Random } from '../../shared/random'
import { readTensor } from '../training/read'
import { canonicalSign, orthonormalizeRows, symmetricEigen } from './symmetric-eigen'

export interface PrincipalComponents {
  /** The mean row. */
  mean: Float64Array
  /** `count` orthonormal rows of `columns` values, largest variance first; each sign makes its largest entry positive. */
  components: Float64Array
  count: number
  columns: number
  /** Sample variance along each component. */
  variances: Float64Array
  /** Sample variance summed over every column: variances[i] / totalVariance is a component's share. */
  totalVariance: number
  /** Each input row's coordinates along the components, rows x count: (row - mean) . component. */
  scores: Float64Array
}

export interface PcaOptions {
  /** Seeds the random start of the subspace iteration. */
  seed: number
  /** Subspace iterations (each one multiplies by X^T X); 4 gives the top components to about 1e-3. */
  iterations?: number
  /** Extra directions carried along, which speeds convergence (Halko, Martinsson and Tropp 2011). */
  oversample?: number
}

/** Up to this many columns the covariance is decomposed whole (exact); above, by subspace iteration. */
const EXACT_COLUMNS = 256

/**
 * The top `count` principal components of the rows of `data` (rows x columns; not disposed). Exact for
 * narrow data; otherwise randomized subspace iteration with a Rayleigh-Ritz step, which never forms the
 * columns x columns covariance (8,192 columns for a 64 px DCGAN's first layer).
 */
export async function principalComponents(data: tf.Tensor2D, count: number, options: PcaOptions): Promise<PrincipalComponents> {
  const [rows, columns] = data.shape
  if (rows < 2) throw new Error('principal components need at least 2 rows')
  const k = Math.min(count, columns)
  const meanTensor = tf.mean(data, 0)
  const centered = tf.sub(data, meanTensor) as tf.Tensor2D
  try {
    const mean = Float64Array.from(await readTensor(meanTensor))
    const totalVariance = (await readAndDispose(tf.tidy(() => tf.sum(tf.square(centered)))))[0] / (rows - 1)
    const { basis, size } = columns <= EXACT_COLUMNS ? identityBasis(columns) : await dominantSubspace(centered, k, options)
    // Rayleigh-Ritz: the covariance restricted to the subspace, decomposed exactly.
    const projected = await readAndDispose(tf.tidy(() => tf.matMul(centered, columnsOf(basis, size, columns))))
    const small = new Float64Array(size * size)
    for (let r = 0; r < rows; r++) {
      const row = projected.subarray(r * size, (r + 1) * size)
      for (let i = 0; i < size; i++) for (let j = 0; j <= i; j++) small[i * size + j] += row[i] * row[j]
    }
    for (let i = 0; i < small.length; i++) small[i] /= rows - 1
    const eigen = symmetricEigen(small, size)
    const components = new Float64Array(k * columns)
    const scores = new Float64Array(rows * k)
    for (let c = 0; c < k; c++) {
      const weights = eigen.vectors.subarray(c * size, (c + 1) * size)
      const target = components.subarray(c * columns, (c + 1) * columns)
      for (let j = 0; j < size; j++) {
        if (weights[j] === 0) continue
        for (let m = 0; m < columns; m++) target[m] += weights[j] * basis[j * columns + m]
      }
      const flipped = canonicalSign(target)
      for (let r = 0; r < rows; r++) {
        let score = 0
        for (let j = 0; j < size; j++) score += weights[j] * projected[r * size + j]
        scores[r * k + c] = flipped ? -score : score
      }
    }
    const variances = eigen.values.slice(0, k).map((v) => Math.max(0, v))
    return { mean, components, count: k, columns, variances, totalVariance, scores }
  } finally {
    meanTensor.dispose()
    centered.dispose()
  }
}

/**
 * Rows of a basis (size x columns) as a columns x size tensor. Products are written without TF.js's transpose
 * flags: on the wasm backend a transposed operand is 10 to 40 times slower than an explicit transpose.
 */
function columnsOf(basis: Float64Array, size: number, columns: number): tf.Tensor2D {
  const out = new Float32Array(columns * size)
  for (let j = 0; j < size; j++) for (let m = 0; m < columns; m++) out[m * size + j] = basis[j * columns + m]
  return tf.tensor2d(out, [columns, size])
}

function identityBasis(columns: number): { basis: Float64Array; size: number } {
  const basis = new Float64Array(columns * columns)
  for (let i = 0; i < columns; i++) basis[i * columns + i] = 1
  return { basis, size: columns }
}

/** An orthonormal basis (rows) of a subspace that holds the top `k` components, by subspace iteration. */
async function dominantSubspace(centered: tf.Tensor2D, k: number, options: PcaOptions): Promise<{ basis: Float64Array; size: number }> {
  const [rows, columns] = centered.shape
  const size = Math.min(columns, rows, k + (options.oversample ?? 10))
  const random = new Random(options.seed, 'pca-start')
  let basis = new Float64Array(size * columns)
  for (let i = 0; i < basis.length; i++) basis[i] = random.normal()
  orthonormalizeRows(basis, size, columns)
  const transposed = tf.transpose(centered) as tf.Tensor2D
  try {
    for (let step = 0; step < (options.iterations ?? 4); step++) {
      // X^T X V, as columns x size, then back to rows and orthonormalized.
      const product = await readAndDispose(tf.tidy(() => tf.matMul(transposed, tf.matMul(centered, columnsOf(basis, size, columns)))))
      basis = new Float64Array(size * columns)
      for (let m = 0; m < columns; m++) for (let j = 0; j < size; j++) basis[j * columns + m] = product[m * size + j]
      orthonormalizeRows(basis, size, columns)
    }
  } finally {
    transposed.dispose()
  }
  return { basis, size }
}

async function readAndDispose(tensor: tf.Tensor): Promise<Float32Array> {
  try {
    return await readTensor(tensor)
  } finally {
    tensor.dispose()
  }
}
