// The nearest-image index on real images (the 10,000 MNIST digits at 32 px): exact against brute force, the
// same after a round trip through its file, and the memorization figure on constructed cases.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../shared/random'
import { prepareDataset, type PreparedDataset } from '../data'
import { initBackend } from '../training/backend'
import { indexFilePath, readIndexFile, writeIndexFile } from './index-file'
import { measureMemorization, rmsDistance, typicalDistance } from './memorization'
import { buildPixelIndex, searchNearest, squaredDistance, type PixelIndex } from './pixel-index'

let dir: string
let digits: PreparedDataset
let index: PixelIndex
const DIMS = 32 * 32

beforeAll(async () => {
  await initBackend('wasm')
  dir = mkdtempSync(join(tmpdir(), 'gan-nearest-'))
  digits = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir: join(dir, 'cache') })
  const tensors = tf.memory().numTensors
  index = await buildPixelIndex(digits)
  expect(tf.memory().numTensors).toBe(tensors)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function bruteForce(pixels: Uint8Array, count: number, query: Uint8Array, k: number, exclude = -1) {
  const all = []
  for (let i = 0; i < count; i++) if (i !== exclude) all.push({ index: i, squared: squaredDistance(pixels, i * query.length, query) })
  return all.sort((a, b) => a.squared - b.squared || a.index - b.index).slice(0, k)
}

/** Queries of every kind a generator could make: near copies, blurred and shifted digits, blends, noise, blanks. */
function queries(): Uint8Array[] {
  const random = new Random(5, 'queries')
  const image = (i: number) => digits.pixels.subarray(i * DIMS, (i + 1) * DIMS)
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)))
  const out: Uint8Array[] = []
  for (let q = 0; q < 8; q++) out.push(image(random.int(digits.count)).map((v) => clamp(v + 25 * random.normal())))
  for (let q = 0; q < 4; q++) {
    const src = image(random.int(digits.count))
    out.push(src.map((_, j) => (j % 32 < 31 ? src[j + 1] : 0))) // shifted a pixel left
  }
  for (let q = 0; q < 4; q++) {
    const a = image(random.int(digits.count))
    const b = image(random.int(digits.count))
    out.push(a.map((v, j) => clamp((v + b[j]) / 2)))
  }
  for (let q = 0; q < 3; q++) out.push(Uint8Array.from({ length: DIMS }, () => random.int(256)))
  out.push(new Uint8Array(DIMS), new Uint8Array(DIMS).fill(255), Uint8Array.from(image(42)))
  return out
}

describe('the nearest-image index on MNIST', () => {
  it('finds exactly the brute-force nearest images (indices, distances and order), checking few of them', () => {
    let checked = 0
    const all = queries()
    for (const query of all) {
      const found = searchNearest(index, digits.pixels, query, 5)
      expect(found.neighbours).toEqual(bruteForce(digits.pixels, digits.count, query, 5))
      checked += found.checked
    }
    // The point of the index: most images are ruled out by their bound.
    expect(checked / all.length).toBeLessThan(digits.count / 4)
    // A training image finds itself at distance 0, or its nearest other image when left out.
    expect(searchNearest(index, digits.pixels, digits.pixels.subarray(7 * DIMS, 8 * DIMS), 1).neighbours[0]).toEqual({ index: 7, squared: 0 })
    const other = searchNearest(index, digits.pixels, digits.pixels.subarray(7 * DIMS, 8 * DIMS), 3, { exclude: 7 })
    expect(other.neighbours).toEqual(bruteForce(digits.pixels, digits.count, digits.pixels.subarray(7 * DIMS, 8 * DIMS), 3, 7))
  })

  it('is exact on a folder-sized set too (2, 5 and 40 images: fewer images than components)', async () => {
    for (const count of [2, 5, 40]) {
      const few = { ...digits, key: `few-${count}`, count, pixels: digits.pixels.subarray(0, count * DIMS) }
      const small = await buildPixelIndex(few)
      expect(small.components).toBe(Math.min(64, count - 1))
      for (const query of queries().slice(0, 8)) {
        expect(searchNearest(small, few.pixels, query, 3).neighbours).toEqual(bruteForce(few.pixels, count, query, 3))
      }
      expect(typicalDistance(small, few.pixels)).toBeGreaterThan(0)
    }
  })

  it('answers the same from its file, and ignores a file of another data set or a damaged one', async () => {
    const file = indexFilePath(join(dir, 'cache'), digits.key)
    await writeIndexFile(file, { index, typicalDistance: 12.5 })
    const stored = await readIndexFile(file, digits.key)
    expect(stored?.typicalDistance).toBe(12.5)
    for (const query of queries().slice(0, 6)) {
      expect(searchNearest(stored!.index, digits.pixels, query, 4)).toEqual(searchNearest(index, digits.pixels, query, 4))
    }
    expect(await readIndexFile(file, 'another-key')).toBeNull()
    writeFileSync(file, Buffer.from('GANSNNI1 and then nothing useful'))
    expect(await readIndexFile(file, digits.key)).toBeNull()
  })
})

describe('the memorization figure', () => {
  it('is 100% for copies of training images, about 50% for real images the index never saw, 0% for noise', async () => {
    // The index of the first half; the second half plays real images the model never saw.
    const half = 5000
    const seen = { ...digits, key: 'first-half', count: half, pixels: digits.pixels.subarray(0, half * DIMS) }
    const halfIndex = await buildPixelIndex(seen)
    const typical = typicalDistance(halfIndex, seen.pixels)
    expect(typical).toBeGreaterThan(10) // RMS on 0-255: different digits are far apart
    const random = new Random(8, 'memorization')
    const images = (from: number, to: number, n = 200) => {
      const out = new Uint8Array(n * DIMS)
      for (let i = 0; i < n; i++) {
        const image = from + random.int(to - from)
        out.set(digits.pixels.subarray(image * DIMS, (image + 1) * DIMS), i * DIMS)
      }
      return out
    }
    const measure = (samples: Uint8Array) => measureMemorization(halfIndex, seen.pixels, samples, typical)

    expect(measure(images(0, half))).toMatchObject({ share: 1, closer: 200, samples: 200, medianDistance: 0, typicalDistance: typical })
    const unseen = measure(images(half, digits.count))
    expect(unseen.share).toBeGreaterThan(0.35)
    expect(unseen.share).toBeLessThan(0.65)
    // The limited search counts exactly what a full one would.
    const nearest = (q: Uint8Array) => rmsDistance(searchNearest(halfIndex, seen.pixels, q, 1).neighbours[0].squared, DIMS)
    const unseenAgain = images(half, digits.count, 64)
    const full = Array.from({ length: 64 }, (_, q) => nearest(unseenAgain.subarray(q * DIMS, (q + 1) * DIMS)) < typical).filter(Boolean).length
    expect(measure(unseenAgain).closer).toBe(full)
    const noise = measure(Uint8Array.from({ length: 50 * DIMS }, () => random.int(256)))
    expect(noise).toMatchObject({ share: 0, closer: 0, samples: 50 })
    expect(noise.medianDistance).toBeGreaterThan(2 * typical)
  })
})
