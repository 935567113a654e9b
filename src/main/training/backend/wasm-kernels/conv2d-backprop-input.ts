// Conv2DBackpropInput for the wasm backend, built on XNNPACK convolutions and matmuls.
//
// This kernel is conv2dTranspose (every generator layer) and the input gradient of conv2d (every
// discriminator layer on the generator's step). The stock wasm kernel is a scalar loop (~1-3 GFLOPS);
// XNNPACK's conv2d runs ~25-29 GFLOPS on one thread here. Three ways to get there, by shape:
// - dense: dy is 1x1 and the filter covers the whole unpadded input (DCGAN's first generator layer and the
//   discriminator's last): dx is dy times the flattened filter, one matmul.
// - per phase (subpixel-per-phase.ts): one convolution per sub-pixel phase, no wasted work; best when dx
//   has 16 channels or more (every hidden layer).
// - one conv (subpixel-one-conv.ts): all phases in one convolution with s*s times the outputs; best when dx
//   is the 1-3 channel image (or a phase has no filter tap).
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { derivedFilter } from './derived-filters'
import { matMul, transpose, view, type Shape4, type TensorInfo } from './kernel-calls'
import { backpropInputOneConv } from './subpixel-one-conv'
import { backpropInputPerPhase } from './subpixel-per-phase'

type ConvInfo = tf.backend_util.Conv2DInfo

export type BackpropInputPlan = 'dense' | 'per-phase' | 'one-conv'

export interface BackpropInputArgs {
  inputs: { dy: TensorInfo; filter: TensorInfo }
  backend: BackendWasm
  attrs: tf.Conv2DBackpropInputAttrs
}

/** Benchmarks and tests pin a plan to compare them; null lets the shape decide. */
let forcedPlan: BackpropInputPlan | null = null
export function forceBackpropInputPlan(plan: BackpropInputPlan | null): void {
  forcedPlan = plan
}

/**
 * Our kernel, or null when the arguments are outside what it handles (NCHW, non-float) and the
 * stock kernel should run instead.
 */
export function conv2dBackpropInputXnn(args: BackpropInputArgs): TensorInfo | null {
  const { inputs, backend, attrs } = args
  const { dy, filter } = inputs
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return null
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as Shape4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast'
  )
  switch (forcedPlan ?? choosePlan(info)) {
    case 'dense':
      if (isDenseLayer(info)) return backpropInputAsMatMul(backend, dy, filter, info)
      return backpropInputOneConv(backend, dy, filter, info)
    case 'per-phase':
      if (hasTapInEveryPhase(info)) return backpropInputPerPhase(backend, dy, filter, info)
      return backpropInputOneConv(backend, dy, filter, info)
    case 'one-conv':
      return backpropInputOneConv(backend, dy, filter, info)
  }
}

export function choosePlan(info: ConvInfo): BackpropInputPlan {
  if (isDenseLayer(info)) return 'dense'
  if (!hasTapInEveryPhase(info)) return 'one-conv'
  const strided = info.strideHeight > 1 || info.strideWidth > 1
  // Stride 1 has a single phase: the per-phase convolution is simply the exact one.
  if (!strided) return 'per-phase'
  // Measured on DCGAN layers (k4 s2, batch 64-128): per phase is 10-50% faster from dy 16x16 down to 4x4
  // (one-conv's padded phase grid wastes ((OH+1)/OH)^2 - 1), but ~1.7x slower when dx has 3 channels,
  // where its convolutions have too few outputs to fill XNNPACK's tiles.
  return info.inChannels >= 16 ? 'per-phase' : 'one-conv'
}

/** dy is 1x1 and each dy pixel sees the whole, unpadded input: a fully connected layer. */
export function isDenseLayer(info: ConvInfo): boolean {
  return (
    info.outHeight === 1 &&
    info.outWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.inHeight === info.filterHeight &&
    info.inWidth === info.filterWidth
  )
}

function hasTapInEveryPhase(info: ConvInfo): boolean {
  return info.filterHeight >= info.strideHeight && info.filterWidth >= info.strideWidth
}

function backpropInputAsMatMul(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: ConvInfo
): TensorInfo {
  const { batchSize, filterHeight, filterWidth, inChannels, outChannels } = info
  const patch = filterHeight * filterWidth * inChannels
  // dx[n, :] = dy[n, :] . W[:, co]^T  ->  dy [N, Co] x W^T [Co, KH*KW*Ci]
  const filterT = derivedFilter(backend, filter, 'dense transposed', () =>
    transpose(backend, view(filter, [patch, outChannels]), [1, 0])
  )
  const dx = matMul(backend, view(dy, [batchSize, outChannels]), filterT)
  return view(dx, [batchSize, filterHeight, filterWidth, inChannels])
}
