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
  for (let i = 0; i < z.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = z[i + c]
      sum[c] += v
      squares[c] += v * v
    }
  }
  const mean = new Float64Array(channels)
  const variance = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    mean[c] = sum[c] / rows
    variance[c] = Math.max(0, squares[c] / rows - mean[c] * mean[c])
  }
  return { mean, variance }
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
  for (let i = 0; i < z.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const p = z[i + c] * scale[c] + shift[c]
      out[i + c] = p * (slope + rise * +(p > 0))
    }
  }
}

/** act(p) = p > 0 ? p : slope * p for the piecewise linear activations. */
function negativeSlope(activation: DcganActivation): number {
  return activation === 'relu' ? 0 : activation === 'leakyRelu' ? LEAKY_SLOPE : 1
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
  for (let i = 0; i < z.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = z[i + c]
      const g = dy[i + c] * (slope + rise * +(v * scale[c] + shift[c] > 0))
      sumG[c] += g
      sumGX[c] += g * (v - mean[c])
    }
  }
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
  for (let i = 0; i < z.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = z[i + c]
      const g = dy[i + c] * (slope + rise * +(v * scale[c] + shift[c] > 0))
      dz[i + c] = k[c] * g + c1[c] * v + c0[c]
    }
  }
  return { dGamma, dBeta: sumG }
}
