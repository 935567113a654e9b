// Conv2DBackpropFilter for the wasm backend, which has none: without it the first gradient of any conv
// layer fails. Built as one XNNPACK forward convolution.
//
// dW[ky, kx, ci, co] = sum over n, oy, ox of x[n, s*oy + ky - padTop, s*ox + kx - padLeft, ci] * dy[n, oy, ox, co]
// is a correlation of x with dy as the filter (dilated by the stride) that sums over n as channels. We lay x
// out as a single image [H, W*Ci] with the batch as channels (transpose [1, 2, 3, 0]) and dy as an
// [OH, OW, N, Co] filter; a width dilation of s*Ci then steps over whole pixels, and the output
// [1, KH, KW*Ci, Co] is already dW in HWIO order. (Putting Ci in the batch instead needs the transpose
// [3, 1, 2, 0], which the wasm Transpose kernel does ~4x slower, and a transpose of the result.)
//
// The operand XNNPACK packs is dy (N*OH*OW*Co values, packed single-threaded at every call): for the
// layers next to the 1-3 channel image that packing is most of the time, as the GEMM has only 16*Ci rows.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { batchLast, conv2d, crop, release, transpose, view, type Shape4, type TensorInfo } from './kernel-calls'

export interface BackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo }
  backend: BackendWasm
  attrs: tf.Conv2DBackpropFilterAttrs
}

export function conv2dBackpropFilterXnn(args: BackpropFilterArgs): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, dy } = inputs
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`wasm Conv2DBackpropFilter supports only NHWC data, got ${attrs.dataFormat}`)
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`wasm Conv2DBackpropFilter supports only float32 tensors, got ${x.dtype} and ${dy.dtype}`)
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast'
  )
  const { batchSize, inChannels, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info
  const { outHeight, outWidth } = info
  const { top, left } = info.padInfo

  // The padded rows and columns of x that some tap reads; past them x is never used.
  const usedHeight = strideHeight * (outHeight - 1) + filterHeight
  const usedWidth = strideWidth * (outWidth - 1) + filterWidth
  let height = info.inHeight
  let width = info.inWidth
  let source = x
  if (usedHeight - top < height || usedWidth - left < width) {
    // 'valid' padding with leftover rows/columns: convolution padding cannot be negative, so cut them off.
    height = Math.min(height, usedHeight - top)
    width = Math.min(width, usedWidth - left)
    source = crop(backend, x, 0, 0, height, width)
  }
  const bottom = usedHeight - top - height
  const right = usedWidth - left - width

  const image = batchLast(backend, source) // [H, W, Ci, N]
  if (source !== x) release(backend, source)
  const dyFilter = transpose(backend, dy, [1, 2, 0, 3]) // [OH, OW, N, Co]
  const dw = conv2d(
    backend,
    view(image, [1, height, width * inChannels, batchSize]),
    dyFilter,
    { top, bottom, left: left * inChannels, right: right * inChannels },
    [strideHeight, strideWidth * inChannels]
  )
  release(backend, image, dyFilter)
  return view(dw, [filterHeight, filterWidth, inChannels, outChannels])
}
