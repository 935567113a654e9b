// The Laplacian pyramid against a direct 5x5 convolution written out the slow, obvious way.

import { describe, expect, it } from 'vitest'
import { Random } from '../../shared/random'
import { laplacianPyramid, pyramidDown, pyramidUp, type ImageBatch } from './pyramid'

const KERNEL_1D = [1, 4, 6, 4, 1].map((v) => v / 16)

/** 2-D convolution with the 5x5 binomial kernel times `gain`, borders mirrored (-1 -> 1), no separability trick. */
function convolve(batch: ImageBatch, gain: number): Float32Array {
  const { count, size, channels, pixels } = batch
  const mirror = (i: number) => (i < 0 ? -i : i >= size ? 2 * size - 2 - i : i)
  const out = new Float32Array(pixels.length)
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (let ky = 0; ky < 5; ky++) {
            for (let kx = 0; kx < 5; kx++) {
              const v = pixels[((n * size + mirror(y + ky - 2)) * size + mirror(x + kx - 2)) * channels + c]
              sum += KERNEL_1D[ky] * KERNEL_1D[kx] * gain * v
            }
          }
          out[((n * size + y) * size + x) * channels + c] = sum
        }
      }
    }
  }
  return out
}

function randomBatch(count: number, size: number, channels: number, seed: number): ImageBatch {
  const random = new Random(seed)
  const pixels = new Float32Array(count * size * size * channels)
  for (let i = 0; i < pixels.length; i++) pixels[i] = random.uniform() * 2 - 1
  return { pixels, count, size, channels }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

describe('Laplacian pyramid (ProGAN pyr_down / pyr_up)', () => {
  for (const channels of [1, 3]) {
    it(`down = blur then keep even rows and columns; up = zero-insert then 4x blur (${channels} channel(s))`, () => {
      const batch = randomBatch(2, 16, channels, channels)
      const blurredFull = convolve(batch, 1)
      const expectedDown = new Float32Array(2 * 8 * 8 * channels)
      for (let n = 0; n < 2; n++) {
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            for (let c = 0; c < channels; c++) {
              expectedDown[((n * 8 + y) * 8 + x) * channels + c] = blurredFull[((n * 16 + 2 * y) * 16 + 2 * x) * channels + c]
            }
          }
        }
      }
      const down = pyramidDown(batch)
      expect(down.size).toBe(8)
      expect(maxDifference(down.pixels, expectedDown)).toBeLessThan(1e-6)

      const zeroInserted = new Float32Array(2 * 32 * 32 * channels)
      for (let n = 0; n < 2; n++) {
        for (let y = 0; y < 16; y++) {
          for (let x = 0; x < 16; x++) {
            for (let c = 0; c < channels; c++) {
              zeroInserted[((n * 32 + 2 * y) * 32 + 2 * x) * channels + c] = batch.pixels[((n * 16 + y) * 16 + x) * channels + c]
            }
          }
        }
      }
      const expectedUp = convolve({ pixels: zeroInserted, count: 2, size: 32, channels }, 4)
      const up = pyramidUp(batch)
      expect(up.size).toBe(32)
      expect(maxDifference(up.pixels, expectedUp)).toBeLessThan(1e-6)
    })
  }

  it('has levels 64, 32, 16 whose sum (coarse levels upsampled) rebuilds the image', () => {
    const batch = randomBatch(3, 64, 3, 11)
    const levels = laplacianPyramid(batch, 16)
    expect(levels.map((l) => [l.size, l.lowPass])).toEqual([
      [64, false],
      [32, false],
      [16, true]
    ])
    let rebuilt = levels[2].pixels
    for (const level of [levels[1], levels[0]]) {
      const up = pyramidUp({ pixels: rebuilt, count: 3, size: level.size / 2, channels: 3 })
      rebuilt = up.pixels.map((v, i) => v + level.pixels[i])
    }
    expect(maxDifference(rebuilt, batch.pixels)).toBeLessThan(1e-5)
  })

  it('leaves a flat image flat: no detail, the same low-pass value, borders included', () => {
    const pixels = new Float32Array(2 * 32 * 32).fill(0.25)
    const levels = laplacianPyramid({ pixels, count: 2, size: 32, channels: 1 }, 16)
    expect(Math.max(...levels[0].pixels.map(Math.abs))).toBeLessThan(1e-6)
    expect(Math.max(...levels[1].pixels.map((v) => Math.abs(v - 0.25)))).toBeLessThan(1e-6)
  })
})
