// A conditional DCGAN's conditioning on the wasm heap, as conditioning.ts computes it with TF.js ops: G's input
// is z joined to (class weights) x (label embedding), D's the image channels joined to one constant map per
// class. Forward joins, and in the backward the embedding's gradient (weights^T x the gradient of its
// part of G's input) and the image part of D's input gradient. Plain loops: these are a small share of a pass.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { LabelEmbedding } from '../../conditioning'
import { heapF32, type TensorInfo } from '../wasm-kernels/kernel-calls'

/** z [N, 1, 1, nz] and class weights [N * K] -> [N, 1, 1, nz + E], a new buffer. */
export function joinEmbedding(backend: BackendWasm, z: TensorInfo, embedding: LabelEmbedding, classWeights: Float32Array): TensorInfo {
  const [n, , , nz] = z.shape
  const { classes, size } = embedding
  const joined = backend.makeOutput([n, 1, 1, nz + size], 'float32')
  const from = heapF32(backend, z)
  const table = heapF32(backend, embedding.table)
  const out = heapF32(backend, joined)
  for (let i = 0; i < n; i++) {
    const row = i * (nz + size)
    out.set(from.subarray(i * nz, (i + 1) * nz), row)
    for (let m = 0; m < size; m++) {
      let sum = 0
      for (let k = 0; k < classes; k++) sum += classWeights[i * classes + k] * table[k * size + m]
      out[row + nz + m] = sum
    }
  }
  return joined
}

/** The label embedding's gradient [K * E] from the gradient of G's joined input [N, 1, 1, nz + E]. */
export function embeddingGradient(backend: BackendWasm, dJoined: TensorInfo, embedding: LabelEmbedding, classWeights: Float32Array): Float32Array {
  const [n, , , width] = dJoined.shape
  const { classes, size } = embedding
  const nz = width - size
  const d = heapF32(backend, dJoined)
  const grad = new Float64Array(classes * size)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) {
      const w = classWeights[i * classes + k]
      if (w === 0) continue
      for (let m = 0; m < size; m++) grad[k * size + m] += w * d[i * width + nz + m]
    }
  }
  return Float32Array.from(grad)
}

/** Images [N, S, S, C] and class weights [N * K] -> [N, S, S, C + K], a new buffer. */
export function joinLabelMaps(backend: BackendWasm, images: TensorInfo, classWeights: Float32Array, classes: number): TensorInfo {
  const [n, h, w, c] = images.shape
  const joined = backend.makeOutput([n, h, w, c + classes], 'float32')
  const from = heapF32(backend, images)
  const out = heapF32(backend, joined)
  const width = c + classes
  for (let i = 0; i < n; i++) {
    const weights = classWeights.subarray(i * classes, (i + 1) * classes)
    for (let p = 0; p < h * w; p++) {
      const pixel = i * h * w + p
      out.set(from.subarray(pixel * c, (pixel + 1) * c), pixel * width)
      out.set(weights, pixel * width + c)
    }
  }
  return joined
}

/** The image channels of a gradient over D's joined input [N, S, S, C + K] -> [N, S, S, C], a new buffer. */
export function imageChannels(backend: BackendWasm, dJoined: TensorInfo, channels: number): TensorInfo {
  const [n, h, w, width] = dJoined.shape
  const images = backend.makeOutput([n, h, w, channels], 'float32')
  const from = heapF32(backend, dJoined)
  const out = heapF32(backend, images)
  for (let pixel = 0; pixel < n * h * w; pixel++) out.set(from.subarray(pixel * width, pixel * width + channels), pixel * channels)
  return images
}
