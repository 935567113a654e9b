// The training hot path: a batch of image indices -> Float32 NHWC pixels in [-1, 1], into a reused buffer.

import type { TrainingImages } from './training-images'

// u8 -> u8 / 127.5 - 1 for all 256 values, computed once: a lookup beats a divide per pixel.
const TO_UNIT_RANGE = Float32Array.from({ length: 256 }, (_, v) => v / 127.5 - 1)

/**
 * Fills `out` (allocated when not given) with the images at `indices`, NHWC, values in [-1, 1].
 * Pass the same `out` every step: the hot path then allocates nothing.
 */
export function fillImageBatch(dataset: TrainingImages, indices: ArrayLike<number>, out?: Float32Array): Float32Array {
  const imageSize = dataset.size * dataset.size * dataset.channels
  const length = indices.length * imageSize
  const target = out ?? new Float32Array(length)
  if (target.length !== length) {
    throw new RangeError(`Batch buffer holds ${target.length} values, but ${indices.length} images need ${length}.`)
  }
  const pixels = dataset.pixels
  for (let n = 0; n < indices.length; n++) {
    const index = indices[n]
    if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
      throw new RangeError(`Image index ${index} is outside the data set (0..${dataset.count - 1}).`)
    }
    const from = index * imageSize
    const to = n * imageSize
    for (let i = 0; i < imageSize; i++) target[to + i] = TO_UNIT_RANGE[pixels[from + i]]
  }
  return target
}
