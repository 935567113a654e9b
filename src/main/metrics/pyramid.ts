// Laplacian pyramids of NHWC image batches, as ProGAN's SWD builds them (its pyr_down / pyr_up match OpenCV's).
//
// Blur: the 5x5 binomial kernel [1 4 6 4 1]/16 in each direction, borders mirrored without repeating the edge
// pixel (scipy "mirror", OpenCV BORDER_REFLECT_101). Down: blur, keep even rows and columns. Up: put the pixels
// on even rows and columns of a zero image twice the size, blur with 4x the kernel (2x per direction).

const TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16]

/** A batch of `count` square images of side `size`, NHWC. */
export interface ImageBatch {
  pixels: Float32Array
  count: number
  size: number
  channels: number
}

export interface PyramidLevel extends ImageBatch {
  /** true for the last (coarsest) level, which keeps the low-pass image instead of a band-pass difference. */
  lowPass: boolean
}

/**
 * Levels from `batch.size` down to `minResolution` (halving), finest first: every level but the last is the
 * detail lost by halving (image - up(down(image))), the last is the blurred, halved image itself.
 */
export function laplacianPyramid(batch: ImageBatch, minResolution: number): PyramidLevel[] {
  const levels: PyramidLevel[] = []
  let current = batch
  while (current.size / 2 >= minResolution) {
    const down = pyramidDown(current)
    const up = pyramidUp(down)
    const detail = new Float32Array(current.pixels.length)
    for (let i = 0; i < detail.length; i++) detail[i] = current.pixels[i] - up.pixels[i]
    levels.push({ ...current, pixels: detail, lowPass: false })
    current = down
  }
  levels.push({ ...current, lowPass: true })
  return levels
}

/** Blur, then keep every other row and column: side S -> S/2. */
export function pyramidDown(batch: ImageBatch): ImageBatch {
  const { count, size, channels } = batch
  const half = size / 2
  // Horizontal pass only at the even columns we keep, then the vertical pass only at the even rows.
  const rows = blurAxis(batch.pixels, count, size, size, channels, 'x', half, 2, 1)
  const out = blurAxis(rows, count, size, half, channels, 'y', half, 2, 1)
  return { pixels: out, count, size: half, channels }
}

/** Zero-insert to twice the side, then blur with 4x the kernel: side S -> 2S. */
export function pyramidUp(batch: ImageBatch): ImageBatch {
  const { count, size, channels } = batch
  const double = size * 2
  const zeroInserted = new Float32Array(count * double * double * channels)
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = ((n * size + y) * size + x) * channels
        const to = ((n * double + 2 * y) * double + 2 * x) * channels
        for (let c = 0; c < channels; c++) zeroInserted[to + c] = batch.pixels[from + c]
      }
    }
  }
  const rows = blurAxis(zeroInserted, count, double, double, channels, 'x', double, 1, 2)
  const out = blurAxis(rows, count, double, double, channels, 'y', double, 1, 2)
  return { pixels: out, count, size: double, channels }
}

/**
 * One 1-D pass of the binomial kernel along x or y of an [count, height, width, channels] array, evaluated at
 * input positions `step * o` for o < `outLength`, times `gain`. Returns the array with that axis resized.
 */
function blurAxis(
  src: Float32Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  axis: 'x' | 'y',
  outLength: number,
  step: number,
  gain: number
): Float32Array {
  const length = axis === 'x' ? width : height
  const outHeight = axis === 'y' ? outLength : height
  const outWidth = axis === 'x' ? outLength : width
  const out = new Float32Array(count * outHeight * outWidth * channels)
  // The five source offsets of every output position, mirrored at the borders, computed once.
  const sources = new Int32Array(outLength * 5)
  for (let o = 0; o < outLength; o++) {
    for (let k = 0; k < 5; k++) sources[o * 5 + k] = mirror(step * o + k - 2, length)
  }
  const w0 = TAPS[0] * gain
  const w1 = TAPS[1] * gain
  const w2 = TAPS[2] * gain
  // Distance in the flat array between neighbours along the axis.
  const stride = axis === 'x' ? channels : width * channels
  for (let n = 0; n < count; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const o = axis === 'x' ? ox : oy
        const s = o * 5
        // Position of the pixel with the axis coordinate set to 0, in the source.
        const base = axis === 'x' ? (n * height + oy) * width * channels : (n * height * width + ox) * channels
        const i0 = base + sources[s] * stride
        const i1 = base + sources[s + 1] * stride
        const i2 = base + sources[s + 2] * stride
        const i3 = base + sources[s + 3] * stride
        const i4 = base + sources[s + 4] * stride
        const to = ((n * outHeight + oy) * outWidth + ox) * channels
        for (let c = 0; c < channels; c++) {
          out[to + c] = w0 * (src[i0 + c] + src[i4 + c]) + w1 * (src[i1 + c] + src[i3 + c]) + w2 * src[i2 + c]
        }
      }
    }
  }
  return out
}

/** Index i mirrored into [0, length) without repeating the edge: -1 -> 1, length -> length - 2. */
function mirror(i: number, length: number): number {
  if (i < 0) return -i
  if (i >= length) return 2 * length - 2 - i
  return i
}
