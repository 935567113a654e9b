// SWD benchmark: the time of one evaluation during training (the fake set's descriptors + the distance; the
// real subset's descriptors and sorted projections are computed once per run) at 32 px grey, 32 px RGB and
// 64 px RGB; how stable the value is over seeds; and the interval that keeps SWD under 5% of training time.
//
// Run: npx tsx bench/swd.ts [--images 256] [--seeds 5] [--no-generator]
//
// Real images: MNIST digits (32 px) and Fashion-MNIST (64 px, or MNIST when it is not installed), tinted into
// RGB for the RGB cases. The "fake" set is a second, disjoint sample of real images: the cost does not depend
// on what the images show, and a second sample is the best any generator can do.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { parseRunConfig } from '../src/shared/config'
import { Random } from '../src/shared/random'
import { prepareDataset, type PreparedDataset } from '../src/main/data'
import { FASHION_MNIST_DIR } from '../src/main/data/builtin'
import { blurredCopy, consecutiveImages, tintedRgb, uniformNoiseLike } from '../src/main/metrics/image-sets'
import { swdInterval, swdTimeShare } from '../src/main/metrics/schedule'
import { SWD_DEFAULTS, SWD_IMAGE_COUNT, slicedWassersteinDistance, swdDescriptors, type ImageSet, type SwdOptions } from '../src/main/metrics/swd'
import { initBackend } from '../src/main/training/backend'
import { buildGenerator } from '../src/main/training/gan'
import { generateImages } from '../src/main/training/generate'
import { BENCH_CONFIGS, type BenchConfig } from './training'

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}

const IMAGES = option('images', SWD_IMAGE_COUNT)
const SEEDS = option('seeds', 5)
/** Seconds per training iteration of the reference configs on this machine (bench/training.ts, wasm, 2 cores). */
const SECONDS_PER_ITERATION: Record<BenchConfig, number> = { A: 10, B: 0.3 }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const meanStd = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1))
  return `${mean.toFixed(2)} ± ${std.toFixed(2)}`
}

interface Case {
  name: string
  real: ImageSet
  fake: ImageSet
  /** More disjoint real samples: how much the value moves with the images drawn (the fake set's noise). */
  moreSamples: ImageSet[]
}

/** Seconds of one evaluation: fake descriptors + distance against the cached real descriptors (median of 3). */
function timeEvaluation(real: ImageSet, fake: ImageSet, options: SwdOptions): { seconds: number; realSeconds: number } {
  let started = performance.now()
  const realDescriptors = swdDescriptors(real, options)
  slicedWassersteinDistance(realDescriptors, swdDescriptors(fake, options), options) // fills the real cache
  const realSeconds = (performance.now() - started) / 1000
  const times = Array.from({ length: 3 }, () => {
    started = performance.now()
    slicedWassersteinDistance(realDescriptors, swdDescriptors(fake, options), options)
    return (performance.now() - started) / 1000
  })
  return { seconds: median(times), realSeconds }
}

/** Seconds to generate `count` images with a freshly initialized generator of the config (wasm backend). */
async function timeGeneration(name: BenchConfig, count: number): Promise<number> {
  const config = parseRunConfig({ ...BENCH_CONFIGS[name], iterations: 1 })
  const generator = buildGenerator(config, 3)
  const latents = new Random(1, 'bench-swd').normalArray(count * config.nz)
  try {
    await generateImages(generator, config.nz, latents.subarray(0, config.nz * 8)) // warm-up
    const started = performance.now()
    for (let first = 0; first < count; first += config.batchSize) {
      const n = Math.min(config.batchSize, count - first)
      await generateImages(generator, config.nz, latents.subarray(first * config.nz, (first + n) * config.nz))
    }
    return (performance.now() - started) / 1000
  } finally {
    generator.params.dispose()
  }
}

async function main(): Promise<void> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'gan-bench-swd-'))
  try {
    const limit = 6 * IMAGES
    const mnist = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir, limit })
    const fashionInstalled = existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'))
    const large: PreparedDataset = await prepareDataset(
      { kind: 'builtin', name: fashionInstalled ? 'fashion-mnist' : 'mnist' },
      { size: 64, cacheDir, limit }
    )
    const largeName = fashionInstalled ? 'Fashion-MNIST' : 'MNIST (Fashion-MNIST not installed)'
    const sample = (data: PreparedDataset, k: number, rgb: boolean) => {
      const grey = consecutiveImages(data, k * IMAGES, IMAGES)
      return rgb ? tintedRgb(grey, k + 1) : grey
    }
    const caseOf = (name: string, data: PreparedDataset, rgb: boolean): Case => ({
      name,
      real: sample(data, 0, rgb),
      fake: sample(data, 1, rgb),
      moreSamples: [2, 3, 4, 5].map((k) => sample(data, k, rgb))
    })
    const cases: Case[] = [
      caseOf('32 px grey (MNIST)', mnist, false),
      caseOf('32 px RGB (tinted MNIST)', mnist, true),
      caseOf(`64 px RGB (tinted ${largeName})`, large, true)
    ]
    const defaults: SwdOptions = { seed: 1 }
    const { patchesPerImage, projections, repeats } = SWD_DEFAULTS
    console.log(
      `SWD defaults: ${IMAGES} real vs ${IMAGES} fake images, ${patchesPerImage} patches per image ` +
        `(${IMAGES * patchesPerImage} descriptors per level), ${repeats} x ${projections} directions`
    )

    console.log('\nTime of one evaluation (fake descriptors + distance, real cached; median of 3):')
    const evaluationSeconds: Record<string, number> = {}
    for (const c of cases) {
      const { seconds, realSeconds } = timeEvaluation(c.real, c.fake, defaults)
      evaluationSeconds[c.name] = seconds
      console.log(`  ${c.name.padEnd(50)} ${seconds.toFixed(2)} s   (once per run, the real set: ${realSeconds.toFixed(2)} s)`)
    }

    console.log(`\nStability: mean ± std over ${SEEDS} seeds (average over levels; per level finest first)`)
    for (const c of cases) {
      console.log(`  ${c.name}`)
      const comparisons: [string, ImageSet][] = [
        ['real vs second real sample', c.fake],
        ['real vs blurred second sample', blurredCopy(c.fake)],
        ['real vs uniform noise', uniformNoiseLike(c.fake, 1)]
      ]
      const realBySeed = Array.from({ length: SEEDS }, (_, s) => swdDescriptors(c.real, { seed: s + 1 }))
      for (const [label, other] of comparisons) {
        const results = realBySeed.map((realDescriptors, s) =>
          slicedWassersteinDistance(realDescriptors, swdDescriptors(other, { seed: s + 1 }), { seed: s + 1 })
        )
        const levels = results[0].perLevel.map((level, l) => `${level.resolution}px ${meanStd(results.map((r) => r.perLevel[l].distance))}`)
        console.log(`    ${label.padEnd(32)} ${meanStd(results.map((r) => r.average)).padEnd(16)} [${levels.join(', ')}]`)
      }
      const samples = [c.fake, ...c.moreSamples].map((other) =>
        slicedWassersteinDistance(realBySeed[0], swdDescriptors(other, { seed: 1 }), { seed: 1 }).average
      )
      console.log(`    ${`real vs ${samples.length} other real samples`.padEnd(32)} ${meanStd(samples)}  (one seed: the spread of drawing ${IMAGES} images)`)
    }

    console.log(`\nInterval for < 5% of training time (generating ${IMAGES} fakes + one evaluation):`)
    const noGenerator = process.argv.includes('--no-generator')
    if (!noGenerator) await initBackend('wasm')
    const tensorsBefore = tf.memory().numTensors
    for (const [name, caseName] of [
      ['B', cases[1].name],
      ['A', cases[2].name]
    ] as const) {
      const generation = noGenerator ? 0 : await timeGeneration(name, IMAGES)
      const total = generation + evaluationSeconds[caseName]
      const perIteration = SECONDS_PER_ITERATION[name]
      const interval = swdInterval(total, perIteration)
      const share = swdTimeShare(total, perIteration, interval)
      console.log(
        `  config ${name} (${perIteration} s/iteration): generate ${noGenerator ? 'not timed' : `${generation.toFixed(2)} s`} + ` +
          `SWD ${evaluationSeconds[caseName].toFixed(2)} s = ${total.toFixed(2)} s -> every ${interval} iterations ` +
          `(${(share * 100).toFixed(1)}% of training time)`
      )
    }
    const leaked = tf.memory().numTensors - tensorsBefore
    if (leaked !== 0) console.log(`  (the generator timing left ${leaked} tensors behind)`)
  } finally {
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
