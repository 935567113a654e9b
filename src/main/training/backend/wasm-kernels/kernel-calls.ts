// Building blocks for our wasm kernels: calling the stock (XNNPACK-backed) wasm kernels on TensorInfos,
// reshaped views, freeing intermediates, and copying between tensors on the wasm heap.
//
// Inside a kernel there is no engine scope: tensors made by tf ops would be tracked and taped, so we call
// kernel functions directly. Each call returns a TensorInfo that owns one reference to its data; whoever
// made it must either return it (the engine then owns it) or release it with `release`.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'

export type TensorInfo = tf.TensorInfo
export type Shape4 = [number, number, number, number]

/** Runs the wasm kernel registered under `kernelName`. The caller owns the result. */
export function runWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {}
): TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm')
  if (kernel === undefined) throw new Error(`the wasm backend has no ${kernelName} kernel`)
  const out = kernel.kernelFunc({ inputs, backend, attrs })
  if (Array.isArray(out)) throw new Error(`wasm kernel ${kernelName} returned several tensors, expected one`)
  return out
}

/**
 * The same data seen with another shape. A view takes no reference of its own: it is valid while the
 * TensorInfo it was made from is alive, and is never released separately.
 */
export function view(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype }
}

/** Drops our reference to intermediate results (frees their wasm memory). */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId)
}

/** XNNPACK convolution, NHWC, filter HWIO, explicit padding. */
export function conv2d(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  padding: { top: number; bottom: number; left: number; right: number },
  dilations: [number, number] = [1, 1]
): TensorInfo {
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [padding.top, padding.bottom],
    [padding.left, padding.right],
    [0, 0]
  ]
  return runWasmKernel(backend, tf.Conv2D, { x, filter }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations })
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return runWasmKernel(backend, tf.Transpose, { x }, { perm })
}

/**
 * a [m, k] times b [k, n]. The wasm BatchMatMul only reaches XNNPACK for untransposed rank-2 operands
 * (anything else runs a scalar loop at ~0.6 GFLOPS), so callers transpose explicitly instead.
 */
export function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  const out = runWasmKernel(backend, tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false })
  return view(out, [a.shape[0], b.shape[1]])
}

/** Float32 view of a tensor's data on the wasm heap. Take it after the last allocation: the heap can move. */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array
}

/**
 * A new [n, height, width, c] tensor holding the window of `x` (NHWC) that starts at row `top`, column `left`.
 * A row of the window is one contiguous run in both tensors, so this is n * height memcpy-like copies.
 */
export function crop(
  backend: BackendWasm,
  x: TensorInfo,
  top: number,
  left: number,
  height: number,
  width: number
): TensorInfo {
  const [n, xHeight, xWidth, c] = x.shape
  if (top < 0 || left < 0 || top + height > xHeight || left + width > xWidth) {
    throw new Error(`crop window ${top}+${height} x ${left}+${width} is outside a ${xHeight}x${xWidth} tensor`)
  }
  const out = backend.makeOutput([n, height, width, c], 'float32')
  const src = heapF32(backend, x)
  const dst = heapF32(backend, out)
  const rowLength = width * c
  let d = 0
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < height; y++) {
      const s = ((b * xHeight + top + y) * xWidth + left) * c
      dst.set(src.subarray(s, s + rowLength), d)
      d += rowLength
    }
  }
  return out
}

/**
 * x [N, H, W, C] as a new [H, W, C, N] tensor (batch last). Pixel by pixel, sample by sample: each sample's
 * C values land in C output rows that stay in L1 while the samples go by. ~30% faster than the wasm
 * Transpose kernel for this permutation.
 */
export function batchLast(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const [n, height, width, channels] = x.shape
  const out = backend.makeOutput([height, width, channels, n], 'float32')
  const src = heapF32(backend, x)
  const dst = heapF32(backend, out)
  const pixels = height * width
  const sampleStride = pixels * channels
  for (let p = 0; p < pixels; p++) {
    const pixelBase = p * channels * n
    for (let b = 0; b < n; b++) {
      let s = b * sampleStride + p * channels
      let d = pixelBase + b
      for (let c = 0; c < channels; c++, s++, d += n) dst[d] = src[s]
    }
  }
  return out
}
