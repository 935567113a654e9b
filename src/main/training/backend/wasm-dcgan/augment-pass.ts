// DiffAugment's transforms (see augment.ts) as loops over NHWC arrays, forward and backward, for the wasm
// engine. Every transform is linear in the image, so the backward pass is its transpose: the color steps
// spread a share of the gradient's mean back, translation moves gradients back to where the pixels came
// from, cutout masks them.
import { cutoutSpan, type AugmentDraws } from '../../augment'

export type ImageShape = [n: number, h: number, w: number, c: number]

/** out = augment(x) with the given draws (out and x must not overlap). */
export function augmentForward(x: Float32Array, out: Float32Array, shape: ImageShape, draws: AugmentDraws): void {
  out.set(x)
  if (draws.color) colorForward(out, shape, draws.color)
  if (draws.translation) translateForward(out.slice(), out, shape, draws.translation)
  if (draws.cutout) applyCutout(out, shape, draws.cutout)
}

/** dx = the gradient with respect to augment's input, given dy for its output (the steps in reverse). */
export function augmentBackward(dy: Float32Array, dx: Float32Array, shape: ImageShape, draws: AugmentDraws): void {
  dx.set(dy)
  if (draws.cutout) applyCutout(dx, shape, draws.cutout)
  if (draws.translation) translateBackward(dx.slice(), dx, shape, draws.translation)
  if (draws.color) colorBackward(dx, shape, draws.color)
}

type Color = NonNullable<AugmentDraws['color']>

/** Brightness, saturation, contrast in place, each rounded to float32 as the TF.js ops round it. */
function colorForward(y: Float32Array, [n, h, w, c]: ImageShape, color: Color): void {
  const perImage = h * w * c
  for (let b = 0; b < n; b++) {
    const start = b * perImage
    const end = start + perImage
    const brightness = color.brightness[b]
    for (let i = start; i < end; i++) y[i] = y[i] + brightness
    const saturation = color.saturation[b]
    for (let p = start; p < end; p += c) {
      let sum = 0
      for (let k = 0; k < c; k++) sum += y[p + k]
      const mean = Math.fround(sum / c)
      for (let k = 0; k < c; k++) y[p + k] = Math.fround(Math.fround(y[p + k] - mean) * saturation) + mean
    }
    let sum = 0
    for (let i = start; i < end; i++) sum += y[i]
    const mean = Math.fround(sum / perImage)
    const contrast = color.contrast[b]
    for (let i = start; i < end; i++) y[i] = Math.fround(Math.fround(y[i] - mean) * contrast) + mean
  }
}

/** The transpose of colorForward, in place: y = k x + (1 - k) mean(x) gives dx = k g + (1 - k) mean(g). */
function colorBackward(g: Float32Array, [n, h, w, c]: ImageShape, color: Color): void {
  const perImage = h * w * c
  for (let b = 0; b < n; b++) {
    const start = b * perImage
    const end = start + perImage
    const contrast = color.contrast[b]
    let sum = 0
    for (let i = start; i < end; i++) sum += g[i]
    const spread = ((1 - contrast) * sum) / perImage
    for (let i = start; i < end; i++) g[i] = contrast * g[i] + spread
    const saturation = color.saturation[b]
    for (let p = start; p < end; p += c) {
      let pixelSum = 0
      for (let k = 0; k < c; k++) pixelSum += g[p + k]
      const pixelSpread = ((1 - saturation) * pixelSum) / c
      for (let k = 0; k < c; k++) g[p + k] = saturation * g[p + k] + pixelSpread
    }
    // Brightness adds a constant: its gradient passes through unchanged.
  }
}

type Translation = NonNullable<AugmentDraws['translation']>

/** out[b, i, j] = x[b, i + rows[b], j + cols[b]], zero where that falls outside the image. */
function translateForward(x: Float32Array, out: Float32Array, [n, h, w, c]: ImageShape, t: Translation): void {
  out.fill(0)
  forEachShiftedRow(n, h, w, t, (b, i, sourceRow, j0, j1, shift) => {
    const to = ((b * h + i) * w + j0) * c
    const from = ((b * h + sourceRow) * w + j0 + shift) * c
    out.set(x.subarray(from, from + (j1 - j0) * c), to)
  })
}

function translateBackward(g: Float32Array, dx: Float32Array, [n, h, w, c]: ImageShape, t: Translation): void {
  dx.fill(0)
  forEachShiftedRow(n, h, w, t, (b, i, sourceRow, j0, j1, shift) => {
    const from = ((b * h + i) * w + j0) * c
    const to = ((b * h + sourceRow) * w + j0 + shift) * c
    dx.set(g.subarray(from, from + (j1 - j0) * c), to)
  })
}

/** For every output row that shows an input row: the run of columns [j0, j1) that stays inside. */
function forEachShiftedRow(
  n: number,
  h: number,
  w: number,
  t: Translation,
  visit: (b: number, i: number, sourceRow: number, j0: number, j1: number, colShift: number) => void
): void {
  for (let b = 0; b < n; b++) {
    const shift = t.cols[b]
    const j0 = Math.max(0, -shift)
    const j1 = Math.min(w, w - shift)
    if (j1 <= j0) continue
    for (let i = 0; i < h; i++) {
      const sourceRow = i + t.rows[b]
      if (sourceRow >= 0 && sourceRow < h) visit(b, i, sourceRow, j0, j1, shift)
    }
  }
}

/** Zeroes each image's cutout square, in place (its own transpose). */
function applyCutout(y: Float32Array, [n, h, w, c]: ImageShape, cutout: NonNullable<AugmentDraws['cutout']>): void {
  for (let b = 0; b < n; b++) {
    const [r0, r1] = cutoutSpan(cutout.row[b], h)
    const [c0, c1] = cutoutSpan(cutout.col[b], w)
    for (let r = r0; r < r1; r++) y.fill(0, ((b * h + r) * w + c0) * c, ((b * h + r) * w + c1) * c)
  }
}
