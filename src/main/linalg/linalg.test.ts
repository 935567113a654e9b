// The dense linear algebra behind the latent directions and the nearest-image index: eigenvectors of
// symmetric matrices, Gram-Schmidt, the Cholesky solve, and PCA on data with a known covariance.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../shared/random'
import { initBackend } from '../training/backend'
import { principalComponents } from './pca'
import { dotProduct, orthonormalizeRows, solveSymmetricPositive, symmetricEigen } from './symmetric-eigen'

/** A random n x n matrix with orthonormal rows. */
function randomRotation(n: number, seed: number): Float64Array {
  const random = new Random(seed, 'rotation')
  const m = Float64Array.from({ length: n * n }, () => random.normal())
  expect(orthonormalizeRows(m, n, n)).toBe(n)
  return m
}

const row = (m: Float64Array, i: number, n: number) => m.subarray(i * n, (i + 1) * n)

beforeAll(async () => {
  await initBackend('wasm')
})

describe('symmetricEigen', () => {
  it('finds A v = lambda v with orthonormal v, largest first, for random symmetric matrices', () => {
    for (const n of [1, 2, 7, 40]) {
      const random = new Random(n, 'symmetric')
      const a = new Float64Array(n * n)
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random.normal()
      const { values, vectors } = symmetricEigen(a, n)
      for (let i = 0; i + 1 < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i + 1])
      for (let i = 0; i < n; i++) {
        const v = row(vectors, i, n)
        for (let r = 0; r < n; r++) expect(dotProduct(row(a, r, n), v)).toBeCloseTo(values[i] * v[r], 10)
        for (let j = 0; j < n; j++) expect(dotProduct(v, row(vectors, j, n))).toBeCloseTo(i === j ? 1 : 0, 12)
      }
    }
  })

  it('recovers a known spectrum, repeated and zero eigenvalues included', () => {
    const n = 12
    const q = randomRotation(n, 3)
    const spectrum = [9, 5, 5, 2, 1, 0.5, 0, 0, 0, -1, -3, -4]
    const a = new Float64Array(n * n)
    spectrum.forEach((s, k) => {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += s * q[k * n + i] * q[k * n + j]
    })
    const { values, vectors } = symmetricEigen(a, n)
    spectrum.forEach((s, i) => expect(values[i]).toBeCloseTo(s, 10))
    // A simple eigenvalue's eigenvector is the known one, up to sign.
    expect(Math.abs(dotProduct(row(vectors, 0, n), row(q, 0, n)))).toBeCloseTo(1, 10)
    expect(Math.abs(dotProduct(row(vectors, 3, n), row(q, 3, n)))).toBeCloseTo(1, 10)
  })

  it('refuses a matrix with NaN in it, with a message', () => {
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).toThrow(/not a finite number/)
  })
})

describe('orthonormalizeRows and solveSymmetricPositive', () => {
  it('zeroes a dependent row and counts the rank', () => {
    const m = Float64Array.from([1, 0, 0, 2, 0, 0, 1, 1, 0])
    expect(orthonormalizeRows(m, 3, 3)).toBe(2)
    expect(Array.from(m)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0])
  })

  it('solves a x = b for several right-hand sides', () => {
    const a = [4, 1, 0, 1, 3, 1, 0, 1, 2]
    const x = [1, -2, 0.5, 3, 2, -1]
    const b = new Float64Array(6)
    for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) for (let k = 0; k < 3; k++) b[i * 2 + c] += a[i * 3 + k] * x[k * 2 + c]
    Array.from(solveSymmetricPositive(a, 3, b, 2)).forEach((v, i) => expect(v).toBeCloseTo(x[i], 12))
    expect(() => solveSymmetricPositive([1, 2, 2, 1], 2, [1, 1], 1)).toThrow(/not positive definite/)
  })
})

/** rows samples of mean + sum_k sqrt(variance_k) g_k axis_k + small isotropic noise. */
function syntheticData(rows: number, columns: number, axes: Float64Array, variances: number[], noise: number, seed: number) {
  const random = new Random(seed, 'pca-data')
  const mean = Float64Array.from({ length: columns }, (_, i) => Math.sin(i))
  const data = new Float32Array(rows * columns)
  for (let r = 0; r < rows; r++) {
    const x = data.subarray(r * columns, (r + 1) * columns)
    for (let c = 0; c < columns; c++) x[c] = mean[c] + noise * random.normal()
    variances.forEach((v, k) => {
      const g = Math.sqrt(v) * random.normal()
      for (let c = 0; c < columns; c++) x[c] += g * axes[k * columns + c]
    })
  }
  return data
}

describe('principalComponents on a known synthetic case', () => {
  const variances = [25, 16, 9, 4, 1]
  for (const columns of [60, 400]) {
    it(`finds the planted axes and their variances (${columns} columns, ${columns > 256 ? 'subspace iteration' : 'exact'})`, async () => {
      const rows = 2000
      const axes = randomRotation(columns, columns).subarray(0, variances.length * columns)
      const data = syntheticData(rows, columns, axes, variances, 0.05, 7)
      const input = tf.tensor2d(data, [rows, columns])
      const tensorsBefore = tf.memory().numTensors
      const pca = await principalComponents(input, 5, { seed: 1 })
      expect(tf.memory().numTensors).toBe(tensorsBefore)
      input.dispose()
      for (let k = 0; k < 5; k++) {
        // The component is the planted axis (up to sign) and its variance the planted one, within sampling error.
        expect(Math.abs(dotProduct(row(pca.components, k, columns), row(axes, k, columns)))).toBeGreaterThan(0.995)
        expect(pca.variances[k] / variances[k]).toBeGreaterThan(0.9)
        expect(pca.variances[k] / variances[k]).toBeLessThan(1.1)
        for (let j = 0; j < 5; j++) expect(dotProduct(row(pca.components, k, columns), row(pca.components, j, columns))).toBeCloseTo(k === j ? 1 : 0, 6)
      }
      // Total variance: the planted 55 plus the noise in every column.
      expect(pca.totalVariance).toBeCloseTo(55 + columns * 0.05 ** 2, -0.5)
      expect(pca.mean[3]).toBeCloseTo(Math.sin(3), 0)
      // Scores are the rows' coordinates along the components.
      for (const r of [0, 999]) {
        const centered = Array.from(data.subarray(r * columns, (r + 1) * columns), (v, c) => v - pca.mean[c])
        expect(pca.scores[r * 5 + 2]).toBeCloseTo(dotProduct(centered, row(pca.components, 2, columns)), 3)
      }
    })
  }
})
