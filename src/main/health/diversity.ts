// How varied a batch of images is: the mean distance between every two of them, on a 16x16 average-pooled
// copy (cheap, and blind to pixel noise that does not make two samples different). The fixed-noise grid's
// diversity against the real images' tells mode collapse: near-copies sit much closer together.
import type { PreparedDataset } from '../data'
import { fixedRealSubset } from '../metrics'

/** Side of the pooled copy the distances are measured on. */
export const DIVERSITY_SIDE = 16
/** Real images the reference diversity is measured on (the mean over pairs needs no more). */
export const REAL_DIVERSITY_COUNT = 128
/** Fixed, so every run of a data set measures its real diversity on the same images. */
const REAL_DIVERSITY_SEED = 20160608

/** A batch of images as the distances are measured on: each average-pooled down to DIVERSITY_SIDE. */
export interface PooledImages {
  values: Float32Array
  count: number
}

export function poolImages(images: Float32Array, count: number, size: number, channels: number): PooledImages {
  return { values: pool(images, count, size, channels), count }
}

/** Root-mean-square difference per pooled value between image i of `a` and image j of `b`. */
function distance(a: PooledImages, i: number, b: PooledImages, j: number): number {
  const length = a.values.length / a.count
  let squares = 0
  for (let k = 0, p = i * length, q = j * length; k < length; k++, p++, q++) {
    const d = a.values[p] - b.values[q]
    squares += d * d
  }
  return Math.sqrt(squares / length)
}

/** The distance between two images, averaged over every pair: 0 for identical images, about 0.6 for MNIST digits. */
export function meanPairwiseDistance(pooled: PooledImages): number {
  const { count } = pooled
  if (count < 2) return 0
  let sum = 0
  for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) sum += distance(pooled, i, pooled, j)
  return sum / ((count * (count - 1)) / 2)
}

/** How far each image moved from `before` (the same noise vectors' images earlier), on average. */
export function meanChange(before: PooledImages, after: PooledImages): number {
  let sum = 0
  for (let i = 0; i < after.count; i++) sum += distance(before, i, after, i)
  return after.count > 0 ? sum / after.count : 0
}

/** `images` are NHWC floats in [-1, 1]. */
export function sampleDiversity(images: Float32Array, count: number, size: number, channels: number): number {
  return meanPairwiseDistance(poolImages(images, count, size, channels))
}

/** The real images' diversity, the yardstick for the samples'. */
export function realDiversity(dataset: PreparedDataset): number {
  const real = fixedRealSubset(dataset, REAL_DIVERSITY_COUNT, REAL_DIVERSITY_SEED)
  return sampleDiversity(real.images, real.count, real.size, real.channels)
}

/** Average pooling down to DIVERSITY_SIDE (images at most that size are kept as they are). */
function pool(images: Float32Array, count: number, size: number, channels: number): Float32Array {
  const factor = Math.max(1, Math.floor(size / DIVERSITY_SIDE))
  const side = Math.floor(size / factor)
  const out = new Float32Array(count * side * side * channels)
  const scale = 1 / (factor * factor)
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (let dy = 0; dy < factor; dy++) {
            const row = (n * size + y * factor + dy) * size
            for (let dx = 0; dx < factor; dx++) sum += images[(row + x * factor + dx) * channels + c]
          }
          out[((n * side + y) * side + x) * channels + c] = sum * scale
        }
      }
    }
  }
  return out
}
