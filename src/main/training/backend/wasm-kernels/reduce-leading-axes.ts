// Sum and Mean for the wasm backend over leading axes: per-channel statistics of NHWC activations.
//
// Batch norm reduces [N, H, W, C] over [0, 1, 2] (its moments, its gradient, the gradients of the scale and
// offset), several times per layer and iteration. The stock kernels only reduce innermost axes, so they
// transpose the whole tensor first (~7 ns an element); summing the rows of the [N*H*W, C] matrix directly
// is ~10x faster and keeps a float64 running sum per channel.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import type { TensorInfo } from './kernel-calls'

export interface ReduceArgs {
  inputs: { x: TensorInfo }
  backend: BackendWasm
  attrs: tf.SumAttrs | tf.MeanAttrs
}

/** Our kernel, or null when the stock one should run: not float32, or not a proper prefix of the axes. */
export function reduceLeadingAxes(args: ReduceArgs, kind: 'sum' | 'mean'): TensorInfo | null {
  const { inputs, backend, attrs } = args
  const { x } = inputs
  if (x.dtype !== 'float32') return null
  const rank = x.shape.length
  const axes = [...new Set(tf.util.parseAxisParam(attrs.axis, x.shape))].sort((a, b) => a - b)
  const leading = axes.length
  // A full reduction (or none) is innermost already: the stock kernel does it without a transpose.
  if (leading === 0 || leading === rank || axes.some((axis, i) => axis !== i)) return null

  const rows = tf.util.sizeFromShape(x.shape.slice(0, leading))
  const columns = tf.util.sizeFromShape(x.shape.slice(leading))
  if (rows === 0) return null
  const outShape = attrs.keepDims ? x.shape.map((size, i) => (i < leading ? 1 : size)) : x.shape.slice(leading)
  const out = backend.makeOutput(outShape, 'float32')
  const src = backend.typedArrayFromHeap(x) as Float32Array
  const dst = backend.typedArrayFromHeap(out) as Float32Array
  const sums = columnSums(src, rows, columns)
  const scale = kind === 'mean' ? 1 / rows : 1
  for (let c = 0; c < columns; c++) dst[c] = sums[c] * scale
  return out
}

/** Sums of the columns of a row-major [rows, columns] matrix, four rows per pass over the sums. */
function columnSums(src: Float32Array, rows: number, columns: number): Float64Array {
  const sums = new Float64Array(columns)
  let r = 0
  for (; r + 4 <= rows; r += 4) {
    const a = r * columns
    const b = a + columns
    const c = b + columns
    const d = c + columns
    for (let j = 0; j < columns; j++) sums[j] += src[a + j] + src[b + j] + (src[c + j] + src[d + j])
  }
  for (; r < rows; r++) {
    const a = r * columns
    for (let j = 0; j < columns; j++) sums[j] += src[a + j]
  }
  return sums
}
