// Sliced Wasserstein distance between two image sets (Karras et al. 2018, "Progressive Growing of GANs", sec. 5
// and appendix D): how far apart the distributions of 7x7 patches are, level by level of a Laplacian pyramid,
// so that fine detail (sharpness, noise) and coarse structure (shapes, colour layout) are scored separately.
//
// Values are reported x 1e3, the scale of ProGAN's tables and of its metric names (SWDx1e3_<res>). They are
// comparable between runs only when both use the same number of images and the same options: with fewer
// descriptors, even two samples of one distribution lie further apart (the floor drops roughly as 1/sqrt(n)).

import { Random } from '../../shared/random'
import { laplacianPyramid } from './pyramid'
import { sortedProjections, wassersteinOfSorted } from './projection'

/** Images as NHWC floats (the generator's [-1, 1] output or fillImageBatch's), square, side 32 or 64. */
export interface ImageSet {
  images: Float32Array
  count: number
  size: number
  channels: 1 | 3
}

export interface SwdOptions {
  /** Random 7x7 patches taken from each image at each level (ProGAN: 128). */
  patchesPerImage?: number
  /** Random directions per repeat (ProGAN: 128 per repeat, 512 in all). */
  projections?: number
  /** Rounds of fresh directions, averaged (ProGAN: 4). */
  repeats?: number
  /**
   * Every random choice (patch positions, directions) comes from Random streams of this seed. Score every run
   * of a data set with the same seed (a constant, not the run's seed) so that runs share patches and directions.
   */
  seed: number
  /** The coarsest level's side; levels halve from the image side down to it (ProGAN: 16). */
  minResolution?: number
}

export interface SwdResult {
  /** Finest level first; the last level is the low-pass (blurred) image, the others band-pass detail. */
  perLevel: { resolution: number; distance: number }[]
  average: number
}

/** The normalized patch descriptors of one image set at every pyramid level: compute once, compare often. */
export interface SwdDescriptors {
  size: number
  channels: 1 | 3
  imageCount: number
  levels: DescriptorLevel[]
  /**
   * Filled by slicedWassersteinDistance when these are its reference (first) argument: their sorted projections
   * for one seed and direction count, [level][repeat], so that later comparisons project only the other set.
   */
  sortedProjections?: { key: string; byLevel: Float32Array[][] }
}

export interface DescriptorLevel {
  resolution: number
  /** count x dimension values, one descriptor per row: a 7x7 patch, HWC, each channel at zero mean, unit std. */
  values: Float32Array
  count: number
  dimension: number
}

/**
 * Defaults that rank runs reliably at a small cost (figures in bench/swd.ts): ProGAN took 128 patches from each
 * of 16384 images and 4 x 128 directions. Measured at 64 px RGB with 256 images a side: the spread over seeds
 * (about 3% of a real-vs-real value) is below the spread between different image samples (about 6%) and far
 * below what separates a slightly blurred sample (+25%) or a slightly noisy one (+45%). 4 x 128 directions cut the
 * seed spread by a third at twice the distance cost; the sample spread, which they cannot touch, stays.
 */
export const SWD_DEFAULTS = { patchesPerImage: 64, projections: 64, repeats: 4, minResolution: 16 } as const

/**
 * Images per set (real subset and generated set) the defaults were tuned for. Which images they are matters
 * more than the seed, so keep the real subset and the fake noise fixed for a run, and compare runs only at
 * equal counts.
 */
export const SWD_IMAGE_COUNT = 256

export const PATCH_SIZE = 7
const REPORT_SCALE = 1e3
/** The most memory a reference set's cached sorted projections may take (the defaults at 64 px need 50 MB). */
export const PROJECTION_CACHE_BYTES = 64 * 2 ** 20
/** Images run through the pyramid at once: bounds the memory of the full-resolution intermediate arrays. */
const CHUNK_IMAGES = 64

export function swdDescriptors(set: ImageSet, options: SwdOptions): SwdDescriptors {
  const { patchesPerImage, minResolution } = resolveOptions(options)
  checkImageSet(set, minResolution)
  const { count, size, channels } = set
  const imageValues = size * size * channels

  const resolutions: number[] = []
  for (let r = size; r >= minResolution; r /= 2) resolutions.push(r)
  const dimension = PATCH_SIZE * PATCH_SIZE * channels
  const levels: DescriptorLevel[] = resolutions.map((resolution) => ({
    resolution,
    values: new Float32Array(count * patchesPerImage * dimension),
    count: count * patchesPerImage,
    dimension
  }))

  // Patch corners drawn level by level, image by image, so that they do not depend on the chunking below
  // and two sets of equal size share them (which makes identical sets exactly 0 apart).
  const random = new Random(options.seed, 'swd-patches')
  const corners = resolutions.map((resolution) => {
    const span = resolution - PATCH_SIZE + 1
    const xy = new Uint16Array(count * patchesPerImage * 2)
    for (let i = 0; i < xy.length; i++) xy[i] = random.int(span)
    return xy
  })

  for (let first = 0; first < count; first += CHUNK_IMAGES) {
    const chunk = Math.min(CHUNK_IMAGES, count - first)
    const pixels = set.images.subarray(first * imageValues, (first + chunk) * imageValues)
    const pyramid = laplacianPyramid({ pixels, count: chunk, size, channels }, minResolution)
    pyramid.forEach((level, l) => {
      copyPatches(level.pixels, level.size, channels, chunk, first, patchesPerImage, corners[l], levels[l].values)
    })
  }
  for (const level of levels) normalizePerChannel(level.values, channels)
  return { size, channels, imageCount: count, levels }
}

/**
 * SWD between two sets' descriptors, per level and averaged, x 1e3. Same seed => same directions => same value.
 * `a` is the reference (the fixed real subset): its sorted projections are kept with it for this seed and
 * direction count, which halves the work of every later comparison against it. Memory: 4 bytes x directions
 * x descriptors per level, 17 MB a level at the defaults with 256 images (the descriptors: 10 MB a level in RGB);
 * above PROJECTION_CACHE_BYTES in all (e.g. a final evaluation with 1024 images) nothing is kept.
 */
export function slicedWassersteinDistance(a: SwdDescriptors, b: SwdDescriptors, options: SwdOptions): SwdResult {
  const { projections, repeats } = resolveOptions(options)
  if (a.size !== b.size || a.channels !== b.channels || a.levels.length !== b.levels.length) {
    throw new RangeError(
      `Cannot compare ${a.size} px images with ${a.channels} channel(s) to ${b.size} px images with ${b.channels}: ` +
        'compute both descriptor sets from images of the same size and channels, with the same minResolution.'
    )
  }
  const key = `${options.seed}/${projections}/${repeats}`
  const cached = a.sortedProjections?.key === key ? a.sortedProjections.byLevel : undefined
  const byLevel: Float32Array[][] = []
  const random = new Random(options.seed, 'swd-directions')
  const perLevel = a.levels.map((levelA, l) => {
    const levelB = b.levels[l]
    const { dimension } = levelA
    let total = 0
    byLevel.push([])
    for (let repeat = 0; repeat < repeats; repeat++) {
      // Drawn even when a's projections are cached: b needs them, and the stream must advance the same way.
      const directions = unitDirections(random, projections, dimension)
      const sortedA =
        cached?.[l][repeat] ?? sortedProjections(levelA.values, levelA.count, dimension, directions, projections)
      byLevel[l].push(sortedA)
      const sortedB = sortedProjections(levelB.values, levelB.count, dimension, directions, projections)
      for (let p = 0; p < projections; p++) {
        total += wassersteinOfSorted(
          sortedA.subarray(p * levelA.count, (p + 1) * levelA.count),
          sortedB.subarray(p * levelB.count, (p + 1) * levelB.count)
        )
      }
    }
    return { resolution: levelA.resolution, distance: (total / (repeats * projections)) * REPORT_SCALE }
  })
  const cacheBytes = a.levels.reduce((sum, level) => sum + 4 * projections * repeats * level.count, 0)
  a.sortedProjections = cacheBytes <= PROJECTION_CACHE_BYTES ? { key, byLevel } : undefined
  const average = perLevel.reduce((sum, level) => sum + level.distance, 0) / perLevel.length
  return { perLevel, average }
}

/**
 * The descriptors of some of the set's images (`images`, indices into it): a class's, for SWD per class. The
 * level normalization stays the whole set's, so the classes' figures share one scale.
 */
export function descriptorsOfImages(set: SwdDescriptors, images: readonly number[]): SwdDescriptors {
  const levels = set.levels.map((level) => {
    const perImage = level.count / set.imageCount
    const rowValues = perImage * level.dimension
    const values = new Float32Array(images.length * rowValues)
    images.forEach((image, i) => values.set(level.values.subarray(image * rowValues, (image + 1) * rowValues), i * rowValues))
    return { ...level, values, count: images.length * perImage }
  })
  return { size: set.size, channels: set.channels, imageCount: images.length, levels }
}

function resolveOptions(options: SwdOptions): Required<SwdOptions> {
  const resolved = { ...SWD_DEFAULTS, ...definedOnly(options) }
  for (const key of ['patchesPerImage', 'projections', 'repeats'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`SWD option ${key} must be a whole number of at least 1, got ${resolved[key]}.`)
    }
  }
  if (!Number.isInteger(resolved.minResolution) || resolved.minResolution < PATCH_SIZE) {
    throw new RangeError(`SWD option minResolution must be a whole number of at least ${PATCH_SIZE} (the patch side).`)
  }
  return resolved
}

function definedOnly(options: SwdOptions): SwdOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as unknown as SwdOptions
}

function checkImageSet(set: ImageSet, minResolution: number): void {
  const { count, size, channels } = set
  if (channels !== 1 && channels !== 3) throw new RangeError(`SWD needs 1 or 3 channels, got ${channels}.`)
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`SWD needs at least one image, got ${count}.`)
  let side = size
  while (side > minResolution && side % 2 === 0) side /= 2
  if (!Number.isInteger(size) || side !== minResolution) {
    throw new RangeError(`SWD needs an image side that halves down to ${minResolution} px (e.g. 32 or 64), got ${size}.`)
  }
  if (set.images.length !== count * size * size * channels) {
    throw new RangeError(
      `SWD got ${set.images.length} values for ${count} images of ${size}x${size}x${channels} ` +
        `(${count * size * size * channels} expected): pass NHWC images and their true count.`
    )
  }
  for (let i = 0; i < set.images.length; i++) {
    if (!Number.isFinite(set.images[i])) {
      throw new RangeError(
        `SWD got a ${set.images[i]} pixel (image ${Math.floor(i / (size * size * channels))}): ` +
          'the images must be finite numbers; a generator that outputs NaN has diverged.'
      )
    }
  }
}

/** Copies each image's 7x7 patches (corners from `corners`) as rows of `out`, starting at image `firstImage`. */
function copyPatches(
  level: Float32Array,
  size: number,
  channels: number,
  chunk: number,
  firstImage: number,
  patchesPerImage: number,
  corners: Uint16Array,
  out: Float32Array
): void {
  const rowValues = PATCH_SIZE * channels
  const dimension = PATCH_SIZE * rowValues
  for (let n = 0; n < chunk; n++) {
    for (let k = 0; k < patchesPerImage; k++) {
      const patch = (firstImage + n) * patchesPerImage + k
      const x = corners[2 * patch]
      const y = corners[2 * patch + 1]
      let to = patch * dimension
      for (let dy = 0; dy < PATCH_SIZE; dy++) {
        const from = ((n * size + y + dy) * size + x) * channels
        for (let v = 0; v < rowValues; v++) out[to + v] = level[from + v]
        to += rowValues
      }
    }
  }
}

/**
 * ProGAN's finalize_descriptors: each channel shifted to zero mean and scaled to unit std over all descriptors
 * and patch positions of the level. Makes the score blind to the pixel range and to global brightness/contrast.
 */
function normalizePerChannel(values: Float32Array, channels: number): void {
  const sums = new Float64Array(channels)
  const squares = new Float64Array(channels)
  for (let i = 0; i < values.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = values[i + c]
      sums[c] += v
      squares[c] += v * v
    }
  }
  const perChannel = values.length / channels
  const shift = new Float64Array(channels)
  const scale = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    const mean = sums[c] / perChannel
    const std = Math.sqrt(Math.max(0, squares[c] / perChannel - mean * mean))
    shift[c] = mean
    // A constant channel (a blank image set) carries no information: leave it at 0 rather than divide by 0.
    scale[c] = std > 1e-12 ? 1 / std : 0
  }
  for (let i = 0; i < values.length; i += channels) {
    for (let c = 0; c < channels; c++) values[i + c] = (values[i + c] - shift[c]) * scale[c]
  }
}

/** `count` random directions on the unit sphere in `dimension` dimensions, one per row. */
function unitDirections(random: Random, count: number, dimension: number): Float32Array {
  const directions = new Float32Array(count * dimension)
  for (let p = 0; p < count; p++) {
    let norm = 0
    const row = p * dimension
    for (let k = 0; k < dimension; k++) {
      const v = random.normal()
      directions[row + k] = v
      norm += v * v
    }
    const inverse = 1 / Math.sqrt(norm)
    for (let k = 0; k < dimension; k++) directions[row + k] *= inverse
  }
  return directions
}
