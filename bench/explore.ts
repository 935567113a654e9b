// Explore benchmark: the cost of latent directions (SeFa, GANSpace) per architecture, and the nearest-image
// search on Fashion-MNIST's 60,000 training images at 64 px: building the index, a search (against brute
// force, which it must equal), the memorization figure, and whether a cheap feature ranks better than pixels.
//
// Run: npm run bench:explore [-- --queries 100] [--rgb] [--no-ranking]
//
// Queries stand in for generated images: Fashion-MNIST's test images (real images the index never saw:
// what a good generator makes), training images with noise added, and uniform noise (an untrained
// generator: the index's worst case).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parseRunConfig, type RunConfigInput } from '../src/shared/config'
import { Random } from '../src/shared/random'
import { prepareDataset, type PreparedDataset } from '../src/main/data'
import { FASHION_MNIST_DIR } from '../src/main/data/builtin'
import { grayToRgb, resizeGrayImages } from '../src/main/data/resize'
import { ganspaceDirections, sefaDirections } from '../src/main/explore/directions'
import { firstLayerOf } from '../src/main/explore/first-layer'
import { measureMemorization, typicalDistance } from '../src/main/nearest/memorization'
import { buildPixelIndex, searchNearest, squaredDistance, type PixelIndex } from '../src/main/nearest/pixel-index'
import { initBackend } from '../src/main/training/backend'
import { buildGenerator } from '../src/main/training/gan'

const flag = (name: string) => process.argv.includes(`--${name}`)
function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const QUERIES = option('queries', 60)
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]
const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`

function time<T>(run: () => T): { value: T; seconds: number } {
  const started = performance.now()
  const value = run()
  return { value, seconds: (performance.now() - started) / 1000 }
}

async function timeAsync<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now()
  const value = await run()
  return { value, seconds: (performance.now() - started) / 1000 }
}

async function directionCosts(): Promise<void> {
  console.log('Latent directions (from a freshly built generator; the cost depends on the shapes, not on training):')
  const configs: [string, RunConfigInput, 1 | 3][] = [
    ['DCGAN 64 px RGB, ngf 64 (paper): first layer 4x4x512 = 8,192 outputs', { imageSize: 64, ngf: 64, nz: 100 }, 3],
    ['DCGAN 32 px grey, ngf 32 (CPU preset): 4x4x128 = 2,048 outputs', { imageSize: 32, ngf: 32, nz: 100 }, 1],
    ['MLP 32 px grey: first layer 128 outputs', { arch: 'mlp', imageSize: 32, nz: 100 }, 1]
  ]
  for (const [name, input, channels] of configs) {
    const config = parseRunConfig(input)
    const generator = buildGenerator(config, channels)
    try {
      const sefa: number[] = []
      const ganspace: number[] = []
      for (let i = 0; i < 3; i++) {
        sefa.push((await timeAsync(async () => sefaDirections(await firstLayerOf(generator, config.nz), 20))).seconds)
        ganspace.push((await timeAsync(async () => ganspaceDirections(await firstLayerOf(generator, config.nz), 20))).seconds)
      }
      console.log(`  ${name.padEnd(72)} SeFa ${ms(median(sefa)).padStart(9)}   GANSpace (3,000 z) ${ms(median(ganspace)).padStart(9)}   (median of 3; once per checkpoint, then cached)`)
    } finally {
      generator.params.dispose()
    }
  }
}

/** Fashion-MNIST's 10,000 test images and the labels of both sets, resized like the training images. */
function fashionExtras(size: number): { test: Uint8Array; testLabels: Uint8Array; trainLabels: Uint8Array } {
  const read = (name: string) => gunzipSync(readFileSync(join(FASHION_MNIST_DIR, name)))
  const images = read('t10k-images-idx3-ubyte.gz')
  const test = resizeGrayImages(new Uint8Array(images.buffer, images.byteOffset + 16, 10000 * 784), 10000, 28, size)
  const labels = (name: string) => {
    const bytes = read(name)
    return new Uint8Array(bytes.buffer, bytes.byteOffset + 8, bytes.readUInt32BE(4))
  }
  return { test, testLabels: labels('t10k-labels-idx1-ubyte.gz'), trainLabels: labels('train-labels-idx1-ubyte.gz') }
}

interface QuerySet {
  name: string
  images: Uint8Array[]
  /** The training image each query was made from, when it was. */
  sources?: number[]
  labels?: number[]
}

function querySets(data: PreparedDataset, test: Uint8Array, testLabels: Uint8Array, channels: 1 | 3): QuerySet[] {
  const dims = data.size * data.size * data.channels
  const random = new Random(3, 'bench-explore-queries')
  const greyDims = data.size * data.size
  const testImage = (i: number) => (channels === 3 ? grayToRgb(test.subarray(i * greyDims, (i + 1) * greyDims)) : test.subarray(i * greyDims, (i + 1) * greyDims))
  const testIds = Array.from({ length: QUERIES }, () => random.int(10000))
  const sources = Array.from({ length: QUERIES }, () => random.int(data.count))
  return [
    { name: 'test images (unseen real)', images: testIds.map(testImage), labels: testIds.map((i) => testLabels[i]) },
    {
      name: 'training images + noise σ 20',
      images: sources.map((s) => data.pixels.subarray(s * dims, (s + 1) * dims).map((v) => Math.max(0, Math.min(255, Math.round(v + 20 * random.normal()))))),
      sources
    },
    { name: 'uniform noise (worst case)', images: Array.from({ length: Math.min(QUERIES, 20) }, () => Uint8Array.from({ length: dims }, () => random.int(256))) }
  ]
}

/** Brute force with the same early exit the index uses on its candidates: the fair baseline. */
function bruteForce(pixels: Uint8Array, count: number, query: Uint8Array, k: number): { index: number; squared: number }[] {
  const best: { index: number; squared: number }[] = []
  for (let i = 0; i < count; i++) {
    const limit = best.length < k ? Infinity : best[best.length - 1].squared
    const squared = squaredDistance(pixels, i * query.length, query, limit)
    if (squared > limit || (squared === limit && best.length === k)) continue
    let at = best.length
    while (at > 0 && best[at - 1].squared > squared) at--
    best.splice(at, 0, { index: i, squared })
    if (best.length > k) best.pop()
  }
  return best
}

async function nearestCosts(data: PreparedDataset, label: string, extras: ReturnType<typeof fashionExtras>, channels: 1 | 3): Promise<PixelIndex> {
  console.log(`\nNearest training images: ${label}, ${data.count.toLocaleString('en-US')} images of ${data.size} px x ${data.channels} (${(data.size * data.size * data.channels).toLocaleString('en-US')} values each)`)
  const built = await timeAsync(() => buildPixelIndex(data))
  const index = built.value
  const typical = time(() => typicalDistance(index, data.pixels))
  console.log(`  index: ${index.components} principal components, built in ${built.seconds.toFixed(1)} s, plus ${typical.seconds.toFixed(1)} s for the typical distance (${typical.value.toFixed(1)} RMS); once per data set, then read from the cache folder`)
  console.log(`  search for the 8 nearest, per query (${QUERIES} queries; brute force on the first 10 of each kind):`)
  for (const set of querySets(data, extras.test, extras.testLabels, channels)) {
    const times: number[] = []
    const checked: number[] = []
    let exact = 0
    let compared = 0
    const bruteTimes: number[] = []
    set.images.forEach((query, q) => {
      const found = time(() => searchNearest(index, data.pixels, query, 8))
      times.push(found.seconds)
      checked.push(found.value.checked)
      if (q < 10) {
        const brute = time(() => bruteForce(data.pixels, data.count, query, 8))
        bruteTimes.push(brute.seconds)
        compared++
        if (JSON.stringify(brute.value) === JSON.stringify(found.value.neighbours)) exact++
      }
    })
    console.log(
      `    ${set.name.padEnd(30)} median ${ms(median(times)).padStart(9)}  p95 ${ms(quantile(times, 0.95)).padStart(9)}  max ${ms(Math.max(...times)).padStart(9)}` +
        `  | brute force ${ms(median(bruteTimes)).padStart(9)} (x${(median(bruteTimes) / median(times)).toFixed(1)})` +
        `  | compared in full: median ${median(checked).toLocaleString('en-US')} of ${data.count.toLocaleString('en-US')}  | equal to brute force: ${exact}/${compared}`
    )
  }
  const samples = new Uint8Array(256 * index.dims)
  const greyDims = data.size * data.size
  for (let i = 0; i < 256; i++) {
    const grey = extras.test.subarray(i * greyDims, (i + 1) * greyDims)
    samples.set(channels === 3 ? grayToRgb(grey) : grey, i * index.dims)
  }
  const figure = time(() => measureMemorization(index, data.pixels, samples, typical.value))
  console.log(`  memorization of 256 unseen real images: ${(figure.value.share * 100).toFixed(0)}% (expected about 50%) in ${figure.seconds.toFixed(2)} s`)
  const noise = new Random(4, 'bench-noise')
  const noisy = Uint8Array.from({ length: 256 * index.dims }, () => noise.int(256))
  const noiseFigure = time(() => measureMemorization(index, data.pixels, noisy, typical.value))
  console.log(`  memorization of 256 noise images (an untrained generator): ${(noiseFigure.value.share * 100).toFixed(0)}% in ${noiseFigure.seconds.toFixed(2)} s`)
  return index
}

/** Nearest by a cheap feature, brute force: each row of `features` is one training image's. */
function nearestByFeature(features: Float32Array, width: number, query: Float32Array): number {
  let best = -1
  let bestDistance = Infinity
  for (let i = 0; i < features.length / width; i++) {
    let s = 0
    for (let j = 0; j < width; j++) {
      const d = features[i * width + j] - query[j]
      s += d * d
    }
    if (s < bestDistance) ((bestDistance = s), (best = i))
  }
  return best
}

/** 4x4 block means: a 64 px image becomes 16 px, tolerant to small shifts and noise. */
function downsampled(image: Uint8Array, size: number): Float32Array {
  const out = new Float32Array((size / 4) ** 2)
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[(y >> 2) * (size / 4) + (x >> 2)] += image[y * size + x] / 16
  return out
}

function projected(index: PixelIndex, image: Uint8Array): Float32Array {
  const out = new Float32Array(index.components)
  for (let c = 0; c < index.components; c++) {
    let s = 0
    for (let j = 0; j < index.dims; j++) s += index.basis[c * index.dims + j] * (image[j] - index.mean[j])
    out[c] = s
  }
  return out
}

function rankingQuality(data: PreparedDataset, index: PixelIndex, extras: ReturnType<typeof fashionExtras>): void {
  console.log('\nDoes a cheap feature rank better than pixel L2? (Fashion-MNIST 64 px grey; nearest by each, brute force for the features)')
  const dims = index.dims
  const size = data.size
  const small = new Float32Array(data.count * (size / 4) ** 2)
  for (let i = 0; i < data.count; i++) small.set(downsampled(data.pixels.subarray(i * dims, (i + 1) * dims), size), i * (size / 4) ** 2)
  const random = new Random(9, 'bench-ranking')
  const shift = (image: Uint8Array, dx: number) => image.map((_, j) => ((j % size) + dx >= 0 && (j % size) + dx < size ? image[j + dx] : 0))
  const perturbations: [string, (image: Uint8Array) => Uint8Array][] = [
    ['noise σ 30', (im) => im.map((v) => Math.max(0, Math.min(255, Math.round(v + 30 * random.normal()))))],
    ['shifted 2 px', (im) => shift(im, 2)],
    ['shifted 4 px', (im) => shift(im, 4)],
    ['brighter by 40', (im) => im.map((v) => Math.min(255, v + 40))]
  ]
  const methods: [string, (query: Uint8Array) => number][] = [
    ['pixel L2 (exact, the index)', (q) => searchNearest(index, data.pixels, q, 1).neighbours[0].index],
    ['16 px block means L2', (q) => nearestByFeature(small, (size / 4) ** 2, downsampled(q, size))],
    [`PCA ${index.components} coordinates L2`, (q) => nearestByFeature(index.coords, index.components, projected(index, q))]
  ]
  const n = Math.min(QUERIES, 100)
  const sources = Array.from({ length: n }, () => random.int(data.count))
  const copies = perturbations.map(([name, change]) => ({ name, queries: sources.map((s) => change(data.pixels.subarray(s * dims, (s + 1) * dims))) }))
  const testIds = Array.from({ length: n }, () => random.int(10000))
  console.log(`  ${''.padEnd(30)} ${copies.map((c) => `finds the copied image: ${c.name}`.padEnd(40)).join('')}nearest has the same class (unseen test images)`)
  for (const [name, nearest] of methods) {
    const found = copies.map((c) => c.queries.filter((q, i) => nearest(q) === sources[i]).length / n)
    const sameClass = testIds.filter((t) => extras.trainLabels[nearest(extras.test.subarray(t * dims, (t + 1) * dims))] === extras.testLabels[t]).length / n
    console.log(`  ${name.padEnd(30)} ${found.map((f) => `${(f * 100).toFixed(0)}%`.padEnd(40)).join('')}${(sameClass * 100).toFixed(0)}%`)
  }
}

async function main(): Promise<void> {
  await initBackend('wasm')
  await directionCosts()
  if (!existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'))) {
    console.log(`\nFashion-MNIST is not installed (${FASHION_MNIST_DIR}): apt-get install dataset-fashion-mnist for the nearest-image figures.`)
    return
  }
  const cacheDir = mkdtempSync(join(tmpdir(), 'gan-bench-explore-'))
  try {
    const extras = fashionExtras(64)
    const grey = await prepareDataset({ kind: 'builtin', name: 'fashion-mnist' }, { size: 64, cacheDir })
    const index = await nearestCosts(grey, 'Fashion-MNIST training set, grey', extras, 1)
    if (!flag('no-ranking')) rankingQuality(grey, index, extras)
    if (flag('rgb')) {
      // 50,000 colour images at 64 px: the same images as RGB (three times the values per image).
      const rgb = await prepareDataset({ kind: 'builtin', name: 'fashion-mnist' }, { size: 64, cacheDir, channels: 3 })
      const first = { ...rgb, key: `${rgb.key}-50k`, count: 50000, pixels: rgb.pixels.subarray(0, 50000 * 64 * 64 * 3) }
      await nearestCosts(first, 'the first 50,000 as RGB', extras, 3)
    }
    console.log('\nDistances are root-mean-square pixel differences on 0-255 (10 = every value off by 10).')
  } finally {
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
