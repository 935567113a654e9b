// How close generated images come to the training set, against how close training images come to each
// other. The typical distance is the median, over a seeded sample of training images, of the distance to
// their nearest other training image; a sample counts as memorized when its nearest training image is closer
// than that. Real images the model never saw score about 50% by construction (half of them fall under a
// median); a generator that copies its training images scores 100%.
import { Random } from '../../shared/random'
import { searchNearest, type PixelIndex } from './pixel-index'

/** Training images whose nearest neighbour sets the typical distance. */
export const TYPICAL_SAMPLE = 256

/** Root-mean-square pixel difference (0-255) of a squared L2 distance over `dims` values: what the UI shows. */
export function rmsDistance(squared: number, dims: number): number {
  return Math.sqrt(squared / dims)
}

/** The median nearest-neighbour distance (RMS) between training images, over a seeded sample of them. */
export function typicalDistance(index: PixelIndex, pixels: Uint8Array, sample = TYPICAL_SAMPLE, seed = 1): number {
  if (index.count < 2) return 0
  const picked = new Random(seed, 'typical-distance').permutation(index.count).subarray(0, Math.min(sample, index.count))
  const distances = Array.from(picked, (i) => {
    const own = pixels.subarray(i * index.dims, (i + 1) * index.dims)
    return rmsDistance(searchNearest(index, pixels, own, 1, { exclude: i }).neighbours[0].squared, index.dims)
  })
  return median(distances)
}

export interface Memorization {
  /** Share of the samples closer to a training image than the typical distance, 0 to 1. */
  share: number
  closer: number
  samples: number
  typicalDistance: number
  /** Median distance (RMS) from a sample to its nearest training image, over the first MEDIAN_SAMPLE samples. */
  medianDistance: number
}

/** Samples whose exact nearest distance is computed for the median shown beside the share. */
export const MEDIAN_SAMPLE = 32

/**
 * The memorization figure of `samples` (count x dims bytes). Whether a sample has a training image closer
 * than the typical distance is a search limited to that distance, which the index answers fast even for a
 * sample far from everything (an untrained generator's noise); only a few samples get a full search.
 */
export function measureMemorization(index: PixelIndex, pixels: Uint8Array, samples: Uint8Array, typical: number): Memorization {
  const { dims } = index
  const count = samples.length / dims
  const within = typical * typical * dims
  let closer = 0
  const distances: number[] = []
  for (let q = 0; q < count; q++) {
    const sample = samples.subarray(q * dims, (q + 1) * dims)
    if (q < MEDIAN_SAMPLE) {
      const distance = rmsDistance(searchNearest(index, pixels, sample, 1).neighbours[0].squared, dims)
      distances.push(distance)
      if (distance < typical) closer++
    } else if (searchNearest(index, pixels, sample, 1, { within }).neighbours.length > 0) closer++
  }
  return { share: count ? closer / count : 0, closer, samples: count, typicalDistance: typical, medianDistance: distances.length ? median(distances) : 0 }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
