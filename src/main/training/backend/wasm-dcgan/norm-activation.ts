// BatchNorm and the activations as fused loops over NHWC data on the wasm heap: one pass for the batch
// statistics, one for normalize + activate; backward in two passes. The TF.js graph of the same layer is
// ~15 kernels each reading and writing the whole activation (moments, batchNorm, relu, and their gradients
// through Tile, Sum, Mul, Sub...).
//
// Statistics and per-channel factors are float64; every element is computed in float64 and stored as
// float32. The backward pass recomputes the pre-activation exactly as the forward pass did, so the
// activation's derivative always agrees with the forward's choice.
//
// The activations are written without branches, p * (slope + (1 - slope) * +(p > 0)): the sign of an
// activation is a coin flip that mispredicts half the time, which made a branchy loop ~3x slower.
import type { DcganActivation } from '../../dcgan'
import { LEAKY_SLOPE } from '../../layers'

export interface ChannelStats {
  mean: Float64Array
  /** Biased (divided by the count), as BatchNorm normalizes with. */
  variance: Float64Array
}

/** Per-channel mean and biased variance of [rows, channels] data (float64 sums, one pass). */
export function channelStats(z: Float32Array, channels: number): ChannelStats {
  const rows = z.length / channels
  const sum = new Float64Array(channels)
  const squares = new Float64Array(channels)
  forEachBlock(z.length, channels, (start, end) => {
    for (let c = 0; c < channels; c++) {
      let s = 0
      let q = 0
      for (let i = start + c; i < end; i += channels) {
        const v = z[i]
        s += v
        q += v * v
      }
      sum[c] += s
      squares[c] += q
    }
  })
  const mean = new Float64Array(channels)
  const variance = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    mean[c] = sum[c] / rows
    variance[c] = Math.max(0, squares[c] / rows - mean[c] * mean[c])
  }
  return { mean, variance }
}

/**
 * Visits [start, end) ranges of ROWS_PER_BLOCK rows. Within a block, loops go channel by channel so that
 * a channel's factors and sums stay in registers while the block stays in L1: ~30% faster than going
 * row by row with every channel's factors loaded from memory.
 */
const ROWS_PER_BLOCK = 64
function forEachBlock(length: number, channels: number, visit: (start: number, end: number) => void): void {
  const block = ROWS_PER_BLOCK * channels
  for (let start = 0; start < length; start += block) visit(start, Math.min(length, start + block))
}

/** The normalization as y = z * scale + shift, per channel. */
export interface NormFactors {
  mean: Float64Array
  invStd: Float64Array
  scale: Float64Array
  shift: Float64Array
}

export function normFactors(mean: ArrayLike<number>, variance: ArrayLike<number>, gamma: Float32Array, beta: Float32Array, epsilon: number): NormFactors {
  const channels = gamma.length
  const factors: NormFactors = {
    mean: Float64Array.from(mean),
    invStd: new Float64Array(channels),
    scale: new Float64Array(channels),
    shift: new Float64Array(channels)
  }
  for (let c = 0; c < channels; c++) {
    const invStd = 1 / Math.sqrt(variance[c] + epsilon)
    factors.invStd[c] = invStd
    factors.scale[c] = gamma[c] * invStd
    factors.shift[c] = beta[c] - mean[c] * gamma[c] * invStd
  }
  return factors
}

/** out = act(z * scale + shift). Identity factors (scale 1, shift 0) give the plain activation. */
export function normActivate(z: Float32Array, out: Float32Array, scale: Float64Array, shift: Float64Array, activation: DcganActivation): void {
  if (activation === 'tanh') throw new Error('normActivate: tanh is computed by the wasm Tanh kernel')
  const channels = scale.length
  const slope = negativeSlope(activation)
  const rise = 1 - slope
  forEachBlock(z.length, channels, (start, end) => {
    for (let c = 0; c < channels; c++) {
      const a = scale[c]
      const b = shift[c]
      for (let i = start + c; i < end; i += channels) {
        const p = z[i] * a + b
        out[i] = p * (slope + rise * +(p > 0))
      }
    }
  })
}

/** act(p) = p > 0 ? p : slope * p for the piecewise linear activations. */
function negativeSlope(activation: DcganActivation): number {
  return activation === 'relu' ? 0 : activation === 'leakyRelu' ? LEAKY_SLOPE : 1
}

/** out = act(z) for an activation without normalization (ReLU or LeakyReLU), one flat pass. */
export function activate(z: Float32Array, out: Float32Array, activation: DcganActivation): void {
  if (activation === 'tanh') throw new Error('activate: tanh is computed by the wasm Tanh kernel')
  const slope = negativeSlope(activation)
  const rise = 1 - slope
  for (let i = 0; i < z.length; i++) {
    const p = z[i]
    out[i] = p * (slope + rise * +(p > 0))
  }
}

/** dz for an activation without normalization, from its output (the sign of y is the sign of z). */
export function activationBackward(y: Float32Array, dy: Float32Array, dz: Float32Array, activation: DcganActivation): void {
  const n = y.length
  if (activation === 'tanh') {
    for (let i = 0; i < n; i++) dz[i] = dy[i] * (1 - y[i] * y[i])
    return
  }
  const slope = negativeSlope(activation)
  const rise = 1 - slope
  for (let i = 0; i < n; i++) dz[i] = dy[i] * (slope + rise * +(y[i] > 0))
}

/**
 * Backward of act(BatchNorm(z)) with batch statistics. With g = dy * act'(pre) and xhat = (z - mean) * invStd:
 * dBeta = sum g, dGamma = sum g * xhat, dz = gamma * invStd * (g - mean(g) - xhat * mean(g * xhat)).
 */
export function normActivateBackward(
  z: Float32Array,
  dy: Float32Array,
  dz: Float32Array,
  gamma: Float32Array,
  factors: NormFactors,
  activation: DcganActivation
): { dGamma: Float64Array; dBeta: Float64Array } {
  const channels = gamma.length
  const rows = z.length / channels
  const { mean, invStd, scale, shift } = factors
  if (activation === 'tanh') throw new Error('normActivateBackward: tanh after BatchNorm is not a DCGAN layer')
  const slope = negativeSlope(activation)
  const rise = 1 - slope
  const sumG = new Float64Array(channels)
  const sumGX = new Float64Array(channels)
  forEachBlock(z.length, channels, (start, end) => {
    for (let c = 0; c < channels; c++) {
      const a = scale[c]
      const b = shift[c]
      const m = mean[c]
      let g0 = 0
      let gx = 0
      for (let i = start + c; i < end; i += channels) {
        const v = z[i]
        const g = dy[i] * (slope + rise * +(v * a + b > 0))
        g0 += g
        gx += g * (v - m)
      }
      sumG[c] += g0
      sumGX[c] += gx
    }
  })
  // dz = k * g + c1 * z + c0, with k = gamma * invStd.
  const k = new Float64Array(channels)
  const c1 = new Float64Array(channels)
  const c0 = new Float64Array(channels)
  const dGamma = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    dGamma[c] = sumGX[c] * invStd[c]
    k[c] = gamma[c] * invStd[c]
    const a = sumG[c] / rows
    const b = dGamma[c] / rows
    c1[c] = -k[c] * b * invStd[c]
    c0[c] = -k[c] * a - c1[c] * mean[c]
  }
  forEachBlock(z.length, channels, (start, end) => {
    for (let c = 0; c < channels; c++) {
      const a = scale[c]
      const b = shift[c]
      const kc = k[c]
      const c1c = c1[c]
      const c0c = c0[c]
      for (let i = start + c; i < end; i += channels) {
        const v = z[i]
        const g = dy[i] * (slope + rise * +(v * a + b > 0))
        dz[i] = kc * g + c1c * v + c0c
      }
    }
  })
  return { dGamma, dBeta: sumG }
}
