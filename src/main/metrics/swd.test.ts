// SWD on real images (MNIST digits, Fashion-MNIST when installed): it must say "same" for the same images,
// "close" for two samples of one data set, "far" for noise, and rank a blurred copy in between.

import { existsSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FASHION_MNIST_DIR } from '../data/builtin'
import { prepareDataset, type PreparedDataset } from '../data'
import { blurredCopy, consecutiveImages, fixedRealSubset, tintedRgb, uniformNoiseLike } from './image-sets'
import { descriptorsOfImages, slicedWassersteinDistance, swdDescriptors, type ImageSet, type SwdDescriptors, type SwdOptions, type SwdResult } from './swd'

// Smaller than the defaults so the suite stays quick; each assertion notes the margin measured at this size.
const OPTIONS: SwdOptions = { seed: 7, patchesPerImage: 32, projections: 64, repeats: 2 }
const COUNT = 200

let cacheDir: string
let mnist: PreparedDataset
beforeAll(async () => {
  cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gan-swd-'))
  mnist = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir, limit: 4 * COUNT })
})
afterAll(async () => {
  await fs.rm(cacheDir, { recursive: true, force: true })
})

function swd(a: ImageSet, b: ImageSet, options: SwdOptions = OPTIONS): SwdResult {
  return slicedWassersteinDistance(swdDescriptors(a, options), swdDescriptors(b, options), options)
}

describe('sliced Wasserstein distance on MNIST digits (32 px grey)', () => {
  let real: ImageSet
  let otherReal: ImageSet
  beforeAll(() => {
    real = consecutiveImages(mnist, 0, COUNT)
    otherReal = consecutiveImages(mnist, COUNT, COUNT)
  })

  it('reports the 32 and 16 px levels and their mean, on ProGAN\'s x1e3 scale', () => {
    const result = swd(real, otherReal)
    expect(result.perLevel.map((l) => l.resolution)).toEqual([32, 16])
    expect(result.average).toBeCloseTo((result.perLevel[0].distance + result.perLevel[1].distance) / 2, 10)
    // Two samples of one data set, 6400 descriptors a level: about 25 (measured). ProGAN's tables, with 2M
    // descriptors a level, range from about 2 to a few tens. Unscaled values would be 1000x smaller.
    expect(result.average).toBeGreaterThan(2)
    expect(result.average).toBeLessThan(100)
  })

  it('gives 0 for identical sets and a value far below noise for two disjoint samples of the data set', () => {
    const same = swd(real, real)
    const disjoint = swd(real, otherReal)
    const noise = swd(real, uniformNoiseLike(real, 1))
    for (const level of same.perLevel) expect(level.distance).toBeLessThan(1e-6 * noise.average)
    // Measured over seeds 7-9: 8x on average, 10x at 32 px, 6x at 16 px (where 200 digits are a small sample).
    expect(noise.average).toBeGreaterThan(5 * disjoint.average)
    for (let l = 0; l < noise.perLevel.length; l++) {
      expect(noise.perLevel[l].distance).toBeGreaterThan(4 * disjoint.perLevel[l].distance)
    }
  })

  it('ranks a blurred copy between a second sample and noise, with the blur showing most at the fine level', () => {
    const disjoint = swd(real, otherReal)
    const blur = swd(real, blurredCopy(otherReal))
    const noise = swd(real, uniformNoiseLike(real, 1))
    expect(blur.average).toBeGreaterThan(1.2 * disjoint.average) // measured: 1.4-1.5x over seeds 7-11
    expect(blur.average).toBeLessThan(0.5 * noise.average)
    // Blurring removes detail (the 32 px band) and barely changes the low-pass 16 px image (measured: about
    // 2.1x against 1.0-1.1x), where the sampling noise of 200 images dominates.
    const fineIncrease = blur.perLevel[0].distance / disjoint.perLevel[0].distance
    const coarseIncrease = blur.perLevel[1].distance / disjoint.perLevel[1].distance
    expect(fineIncrease).toBeGreaterThan(1.6)
    expect(fineIncrease).toBeGreaterThan(1.5 * coarseIncrease)
  })

  it('is deterministic for a seed, and other seeds agree closely', () => {
    const first = swd(real, otherReal)
    expect(swd(real, otherReal)).toEqual(first)
    const seeds = [8, 9, 10].map((seed) => swd(real, otherReal, { ...OPTIONS, seed }).average)
    expect(seeds).not.toContain(first.average)
    for (const value of seeds) expect(Math.abs(value - first.average)).toBeLessThan(0.25 * first.average)
  })

  it('does not depend on the pixel range: [0, 1] images score as their [-1, 1] originals', () => {
    const unit = (set: ImageSet): ImageSet => ({ ...set, images: set.images.map((v) => (v + 1) / 2) })
    const original = swd(real, otherReal)
    const rescaled = swd(unit(real), unit(otherReal))
    for (let l = 0; l < original.perLevel.length; l++) {
      expect(rescaled.perLevel[l].distance).toBeCloseTo(original.perLevel[l].distance, 1)
    }
  })

  it('compares sets of different sizes (the quantile walk), agreeing with equal sizes', () => {
    const half = consecutiveImages(mnist, COUNT, COUNT / 2)
    const fromHalf = swd(real, half)
    const fromFull = swd(real, otherReal)
    expect(fromHalf.average).toBeGreaterThan(0.5 * fromFull.average)
    expect(fromHalf.average).toBeLessThan(2 * fromFull.average)
    expect(swd(real, uniformNoiseLike(half, 2)).average).toBeGreaterThan(5 * fromHalf.average)
  })

  it('reuses descriptors: one cached real set against many others gives the same as computing it afresh', () => {
    const cachedReal = swdDescriptors(real, OPTIONS)
    const againstCached = slicedWassersteinDistance(cachedReal, swdDescriptors(otherReal, OPTIONS), OPTIONS)
    expect(cachedReal.sortedProjections?.byLevel.map((repeats) => repeats.length)).toEqual([2, 2])
    slicedWassersteinDistance(cachedReal, swdDescriptors(uniformNoiseLike(real, 3), OPTIONS), OPTIONS)
    expect(slicedWassersteinDistance(cachedReal, swdDescriptors(otherReal, OPTIONS), OPTIONS)).toEqual(againstCached)
    expect(swd(real, otherReal)).toEqual(againstCached)
  })

  it('picks the same real subset for the same seed, a different one for another seed', () => {
    const subset = fixedRealSubset(mnist, 50, 1)
    expect(subset).toMatchObject({ count: 50, size: 32, channels: 1 })
    expect(fixedRealSubset(mnist, 50, 1).images).toEqual(subset.images)
    expect(fixedRealSubset(mnist, 50, 2).images).not.toEqual(subset.images)
    expect(fixedRealSubset(mnist, 10 * mnist.count, 1).count).toBe(mnist.count)
  })

  it('scores one class alone from a set\'s descriptors: the same digit is closer than another digit', () => {
    // Two disjoint samples of the digits, each split by label (MNIST's labels: 0-9 in turn here).
    const a = swdDescriptors(real, OPTIONS)
    const b = swdDescriptors(otherReal, OPTIONS)
    const ofDigit = (set: SwdDescriptors, first: number, digit: number) =>
      descriptorsOfImages(set, Array.from({ length: COUNT }, (_, i) => i).filter((i) => mnist.labels![first + i] === digit))
    const ones = ofDigit(a, 0, 1)
    expect(ones.imageCount).toBe(Array.from(mnist.labels!.subarray(0, COUNT)).filter((l) => l === 1).length)
    expect(ones.levels[0].count).toBe(ones.imageCount * 32)
    expect(slicedWassersteinDistance(ones, ofDigit(a, 0, 1), OPTIONS).average).toBe(0)
    const sameDigit = slicedWassersteinDistance(ones, ofDigit(b, COUNT, 1), OPTIONS).average
    const otherDigit = slicedWassersteinDistance(ones, ofDigit(b, COUNT, 0), OPTIONS).average
    expect(otherDigit).toBeGreaterThan(2 * sameDigit)
  })

  it('explains what is wrong with an unusable input', () => {
    expect(() => swdDescriptors({ ...real, size: 48 }, OPTIONS)).toThrow(/halves down to 16/)
    expect(() => swdDescriptors({ ...real, count: COUNT + 1 }, OPTIONS)).toThrow(/NHWC images and their true count/)
    expect(() => swdDescriptors(real, { ...OPTIONS, projections: 0 })).toThrow(/projections must be a whole number/)
    const diverged = { ...real, images: real.images.slice() }
    diverged.images[5 * 32 * 32 + 7] = Number.NaN
    expect(() => swdDescriptors(diverged, OPTIONS)).toThrow(/NaN pixel \(image 5\).*diverged/)
    const rgb = swdDescriptors(tintedRgb(real, 1), OPTIONS)
    expect(() => slicedWassersteinDistance(swdDescriptors(real, OPTIONS), rgb, OPTIONS)).toThrow(/same size and channels/)
  })
})

describe('sliced Wasserstein distance at 64 px RGB', () => {
  const fashionInstalled = existsSync(path.join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'))
  if (!fashionInstalled) {
    console.log(`Fashion-MNIST is not installed (${FASHION_MNIST_DIR}): the 64 px test uses MNIST digits resized to 64 px instead`)
  }
  let data: PreparedDataset
  beforeAll(async () => {
    const source = { kind: 'builtin', name: fashionInstalled ? 'fashion-mnist' : 'mnist' } as const
    data = await prepareDataset(source, { size: 64, cacheDir, limit: 2 * COUNT })
  })

  it('scores tinted 64 px images at three levels: 0 for the same set, far less for a second sample than for noise', () => {
    const real = tintedRgb(consecutiveImages(data, 0, COUNT), 1)
    const otherReal = tintedRgb(consecutiveImages(data, COUNT, COUNT), 2)
    expect(real.channels).toBe(3)
    const realDescriptors = swdDescriptors(real, OPTIONS)
    expect(realDescriptors.levels.map((l) => [l.resolution, l.dimension, l.count])).toEqual([
      [64, 147, COUNT * 32],
      [32, 147, COUNT * 32],
      [16, 147, COUNT * 32]
    ])
    const against = (set: ImageSet) => slicedWassersteinDistance(realDescriptors, swdDescriptors(set, OPTIONS), OPTIONS)
    const same = against(real)
    const disjoint = against(otherReal)
    const noise = against(uniformNoiseLike(real, 1))
    expect(same.perLevel.map((l) => l.resolution)).toEqual([64, 32, 16])
    expect(same.average).toBeLessThan(1e-6 * noise.average)
    expect(noise.average).toBeGreaterThan(5 * disjoint.average) // measured: 8-9x over seeds 7-9
    // The 16 px level sees mostly each image's tint, and 200 tints are a small sample: 5-6x there, 8-14x above.
    for (let l = 0; l < 3; l++) expect(noise.perLevel[l].distance).toBeGreaterThan(3 * disjoint.perLevel[l].distance)
  })
})
