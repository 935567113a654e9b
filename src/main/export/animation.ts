// Animations and strips of generated frames (interpolations, keyframe walks): animated GIF and a PNG row.
import sharp from 'sharp'
import { composeGrid } from '../../shared/grid'
import { gridPng } from './png'

export interface GifOptions {
  /** Frames per second, 0.1 to 50. GIF stores delays in hundredths of a second, so it is rounded to that. */
  fps: number
  /** Nearest-neighbour upscale factor 1-8 (a 64 px generator makes small GIFs). Default 1. */
  scale?: number
  /** Repeat forever; otherwise play once and stop on the last frame. */
  loop: boolean
}

export const MAX_GIF_FPS = 50
export const MIN_GIF_FPS = 0.1

/**
 * The delay per frame a GIF will actually store for `fps`, in milliseconds: a whole number of hundredths
 * of a second. Above 50 fps (2 hundredths) browsers slow the animation down to 10 fps, so we refuse.
 */
export function gifFrameDelayMs(fps: number): number {
  if (!Number.isFinite(fps) || fps < MIN_GIF_FPS || fps > MAX_GIF_FPS) {
    throw new Error(`frames per second must be between ${MIN_GIF_FPS} and ${MAX_GIF_FPS} for a GIF, got ${fps}`)
  }
  return Math.round(100 / fps) * 10
}

function checkFrames(frames: Float32Array, count: number, size: number, channels: 1 | 3): void {
  if (!Number.isInteger(count) || count < 1) throw new Error(`an animation needs at least 1 frame, got ${count}`)
  const expected = count * size * size * channels
  if (frames.length !== expected) {
    throw new Error(`expected ${count} frames of ${size}x${size}x${channels} (${expected} values), got ${frames.length} values`)
  }
}

/**
 * `count` generated images (NHWC floats in [-1, 1]) as an animated GIF, one image per frame. Grayscale is
 * written as RGB with equal channels, which the GIF palette keeps exactly.
 */
export async function animatedGif(frames: Float32Array, count: number, size: number, channels: 1 | 3, options: GifOptions): Promise<Buffer> {
  checkFrames(frames, count, size, channels)
  const delay = gifFrameDelayMs(options.fps)
  // One column of frames without padding is exactly the tall image sharp takes as pages of `pageHeight`.
  const { width, height, rgb } = composeGrid(frames, count, size, channels, { perRow: 1, padding: 0, scale: options.scale ?? 1 })
  // Our own pixels, not an untrusted file: a long animation may pass sharp's decompression-bomb limit.
  return sharp(rgb, { raw: { width, height, channels: 3, pageHeight: height / count }, limitInputPixels: false })
    .gif({
      // A single number would set only the first frame's delay (sharp 0.35): give one per frame.
      delay: new Array<number>(count).fill(delay),
      // libvips writes loop = 1 as "no repeat" (no NETSCAPE block); 0 repeats forever.
      loop: options.loop ? 0 : 1,
      // Identical frames (a pause at a keyframe, parallel vectors) are part of the timing: keep them.
      keepDuplicateFrames: true
    })
    .toBuffer()
}

export interface StripOptions {
  /** Pixels between and around the frames. Default 2, as make_grid. */
  padding?: number
  /** RGB 0-255 of the padding. Default black. */
  padColor?: [number, number, number]
  /** Nearest-neighbour upscale factor 1-8. Default 1. */
  scale?: number
}

/** `count` frames in one row as PNG bytes, laid out as torchvision's make_grid(nrow = count) would. */
export async function interpolationStripPng(frames: Float32Array, count: number, size: number, channels: 1 | 3, options: StripOptions = {}): Promise<Buffer> {
  checkFrames(frames, count, size, channels)
  return gridPng(frames, count, size, channels, { ...options, perRow: count })
}
