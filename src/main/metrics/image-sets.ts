// Image sets for SWD: a data set's images as the floats the metric reads, and the reference sets its tests and
// benchmark compare against (uniform noise, a blurred copy, grey images tinted into RGB).

import { Random } from '../../shared/random'
import { fillImageBatch, type PreparedDataset } from '../data'
import type { ImageSet } from './swd'

/** The data set's images at `indices` (e.g. a fixed real subset), NHWC floats in [-1, 1]. */
export function imageSetOf(dataset: PreparedDataset, indices: ArrayLike<number>): ImageSet {
  return { images: fillImageBatch(dataset, indices), count: indices.length, size: dataset.size, channels: dataset.channels }
}

/**
 * A run's fixed real subset: `count` images (all when there are fewer) picked by a seeded shuffle, so that the
 * same data set and seed always give the same images. Use one seed for every run to score them alike.
 */
export function fixedRealSubset(dataset: PreparedDataset, count: number, seed: number): ImageSet {
  return imageSetOf(dataset, fixedRealIndices(dataset.count, count, seed))
}

/** Which images fixedRealSubset picks, in increasing order. */
export function fixedRealIndices(datasetCount: number, count: number, seed: number): Uint32Array {
  const picked = new Random(seed, 'swd-real-subset').permutation(datasetCount).subarray(0, Math.min(count, datasetCount))
  return picked.slice().sort()
}

/** `count` images starting at `first`. */
export function consecutiveImages(dataset: PreparedDataset, first: number, count: number): ImageSet {
  return imageSetOf(dataset, Array.from({ length: count }, (_, i) => first + i))
}

/** Independent uniform pixels in [-1, 1], shaped like `like`: what an untrained generator is no worse than. */
export function uniformNoiseLike(like: ImageSet, seed: number): ImageSet {
  const random = new Random(seed, 'swd-uniform-noise')
  const images = new Float32Array(like.images.length)
  for (let i = 0; i < images.length; i++) images[i] = random.uniform() * 2 - 1
  return { ...like, images }
}

/** A 3x3 binomial blur ([1 2 1]/4 each way, edges clamped): the softness a weak generator shows. */
export function blurredCopy(set: ImageSet): ImageSet {
  const { size, channels, images: source } = set
  const images = new Float32Array(source.length)
  const clamp = (v: number) => Math.min(size - 1, Math.max(0, v))
  const weights = [0.25, 0.5, 0.25]
  for (let n = 0; n < set.count; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const at = ((n * size + clamp(y + dy)) * size + clamp(x + dx)) * channels + c
              sum += weights[dy + 1] * weights[dx + 1] * source[at]
            }
          }
          images[((n * size + y) * size + x) * channels + c] = sum
        }
      }
    }
  }
  return { ...set, images }
}

/**
 * Grey images as RGB, each multiplied by its own random colour (channels in [0.3, 1] of the grey level), so
 * that RGB tests see channels that differ. The colours come from `seed`: two calls with one seed tint alike.
 */
export function tintedRgb(set: ImageSet, seed: number): ImageSet {
  if (set.channels !== 1) throw new RangeError('tintedRgb takes grey images.')
  const random = new Random(seed, 'swd-tint')
  const pixels = set.size * set.size
  const images = new Float32Array(set.count * pixels * 3)
  for (let n = 0; n < set.count; n++) {
    const tint = [0.3 + 0.7 * random.uniform(), 0.3 + 0.7 * random.uniform(), 0.3 + 0.7 * random.uniform()]
    for (let i = 0; i < pixels; i++) {
      const grey = (set.images[n * pixels + i] + 1) / 2
      for (let c = 0; c < 3; c++) images[(n * pixels + i) * 3 + c] = grey * tint[c] * 2 - 1
    }
  }
  return { ...set, images, channels: 3 }
}
