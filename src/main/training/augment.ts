// DiffAugment (Zhao et al. 2020): the same random, differentiable transforms on every image D sees, real
// and fake, in the D and the G step, so D cannot memorize a small data set and G still gets gradients.
// Color (brightness, saturation, contrast), translation by up to 1/8 of the image with zero fill, and
// cutout of a square half the image's side, as in the authors' PyTorch code (DiffAugment_pytorch.py).
//
// The random values are drawn on the host from the run's PRNG (IterationDraws), never by a backend, so every
// compute path applies the same transforms and a resumed run continues the same sequence. This file is the
// TF.js version (autograd); the wasm engine has the same transforms as loops (wasm-dcgan/augment-pass.ts).
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'
import type { Augmentation } from '../../shared/training-options'

/** One batch's transforms: per image, the factors and offsets DiffAugment would draw. */
export interface AugmentDraws {
  color: {
    /** Added to every value: U(-0.5, 0.5). */
    brightness: Float32Array
    /** Spread around the per-pixel channel mean: U(0, 2). */
    saturation: Float32Array
    /** Spread around the image mean: U(0.5, 1.5). */
    contrast: Float32Array
  } | null
  /** Output pixel (y, x) shows input pixel (y + rows, x + cols), zero outside: integers in [-S/8, S/8]. */
  translation: { rows: Int32Array; cols: Int32Array } | null
  /** Centre of the zeroed square of side S/2 (clipped at the borders): integers in [0, S]. */
  cutout: { row: Int32Array; col: Int32Array } | null
}

/** Translation reaches 1/8 of the side, as in DiffAugment. */
export function translationReach(size: number): number {
  return Math.floor(size * 0.125 + 0.5)
}

/** The cutout square's side: half the image's. */
export function cutoutSide(size: number): number {
  return Math.floor(size * 0.5 + 0.5)
}

/** Draws a batch's transforms in a fixed order: color, then translation, then cutout, image by image. */
export function drawAugment(random: Random, policies: readonly Augmentation[], count: number, size: number): AugmentDraws {
  const uniform = (scale: number, offset: number) => Float32Array.from({ length: count }, () => random.uniform() * scale + offset)
  const integers = (low: number, high: number) => Int32Array.from({ length: count }, () => low + random.int(high - low + 1))
  const color = policies.includes('color') ? { brightness: uniform(1, -0.5), saturation: uniform(2, 0), contrast: uniform(1, 0.5) } : null
  const reach = translationReach(size)
  const translation = policies.includes('translation') ? { rows: integers(-reach, reach), cols: integers(-reach, reach) } : null
  // DiffAugment draws the centre from [0, S + (1 - side % 2)): for an even side, 0..S.
  const last = size - (cutoutSide(size) % 2)
  const cutout = policies.includes('cutout') ? { row: integers(0, last), col: integers(0, last) } : null
  return { color, translation, cutout }
}

/** Rows [start, end) that the cutout centred at `centre` zeroes. */
export function cutoutSpan(centre: number, size: number): [number, number] {
  const side = cutoutSide(size)
  const start = centre - Math.floor(side / 2)
  return [Math.max(0, start), Math.min(size, start + side)]
}

/** Per image, the 0/1 mask of the cutout: [n, S, S, 1]. */
function cutoutMask(draws: NonNullable<AugmentDraws['cutout']>, size: number): Float32Array {
  const n = draws.row.length
  const mask = new Float32Array(n * size * size).fill(1)
  for (let b = 0; b < n; b++) {
    const [r0, r1] = cutoutSpan(draws.row[b], size)
    const [c0, c1] = cutoutSpan(draws.col[b], size)
    for (let r = r0; r < r1; r++) mask.fill(0, b * size * size + r * size + c0, b * size * size + r * size + c1)
  }
  return mask
}

/** Per image, a 0/1 matrix [n, S, S] with m[b, i, i + shift[b]] = 1 where that stays inside the image. */
function shiftMatrices(shifts: Int32Array, size: number): Float32Array {
  const m = new Float32Array(shifts.length * size * size)
  shifts.forEach((shift, b) => {
    for (let i = 0; i < size; i++) {
      const source = i + shift
      if (source >= 0 && source < size) m[b * size * size + i * size + source] = 1
    }
  })
  return m
}

/**
 * Translation as two batched products with 0/1 shift matrices (rows, then columns), which every backend can
 * differentiate (a gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks). Exact: each
 * output value is one input value times 1 plus zeros.
 */
function translate(x: tf.Tensor4D, draws: NonNullable<AugmentDraws['translation']>): tf.Tensor4D {
  const [n, h, w, c] = x.shape
  const rows = tf.tensor3d(shiftMatrices(draws.rows, h), [n, h, h])
  const cols = tf.tensor3d(shiftMatrices(draws.cols, w), [n, w, w])
  const shiftedRows = tf.reshape(tf.matMul(rows, tf.reshape(x, [n, h, w * c])), [n, h, w, c])
  const columnsFirst = tf.reshape(tf.transpose(shiftedRows, [0, 2, 1, 3]), [n, w, h * c])
  const shifted = tf.reshape(tf.matMul(cols, columnsFirst), [n, w, h, c])
  return tf.transpose(shifted, [0, 2, 1, 3]) as tf.Tensor4D
}

/** The batch through its transforms (NHWC), with TF.js ops: differentiable with respect to `x`. */
export function augment(x: tf.Tensor, draws: AugmentDraws): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x as tf.Tensor4D
    const [n, size] = y.shape
    const perImage = (values: Float32Array) => tf.tensor4d(values, [n, 1, 1, 1])
    if (draws.color) {
      y = tf.add(y, perImage(draws.color.brightness))
      const pixelMean = tf.mean(y, 3, true)
      y = tf.add(tf.mul(tf.sub(y, pixelMean), perImage(draws.color.saturation)), pixelMean)
      const imageMean = tf.mean(y, [1, 2, 3], true)
      y = tf.add(tf.mul(tf.sub(y, imageMean), perImage(draws.color.contrast)), imageMean)
    }
    if (draws.translation) y = translate(y, draws.translation)
    if (draws.cutout) y = tf.mul(y, tf.tensor4d(cutoutMask(draws.cutout, size), [n, size, size, 1]))
    return y
  })
}
