// Training benchmark: seconds per DCGAN iteration and the time to generate 64 samples on our engine, for
// the two reference configs. Data loading is not measured: the batches come from random pixels in memory.
//
// Run: npx tsx bench/training.ts [A|B] [--backend wasm] [--wasm-threads N]
import { parseRunConfig, type BackendChoice, type RunConfigInput } from '../src/shared/config'
import { Random } from '../src/shared/random'
import type { PreparedDataset } from '../src/main/data'
import { initBackend } from '../src/main/training/backend'
import { fixedNoise } from '../src/shared/noise'
import { Trainer } from '../src/main/training/trainer'

export const BENCH_CONFIGS = {
  /** The paper / PyTorch tutorial model. */
  A: { imageSize: 64, ngf: 64, ndf: 64, batchSize: 128, nz: 100 },
  /** The CPU preset. */
  B: { imageSize: 32, ngf: 32, ndf: 32, batchSize: 64, nz: 100 }
} as const satisfies Record<string, RunConfigInput>
export type BenchConfig = keyof typeof BENCH_CONFIGS

export interface TrainingFigures {
  config: BenchConfig
  backend: string
  secondsPerIteration: number
  imagesPerSecond: number
  generate64Seconds: number
  iterations: number
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

function syntheticDataset(size: number, count: number): PreparedDataset {
  const random = new Random(7, 'bench-data')
  const pixels = new Uint8Array(count * size * size * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = random.int(256)
  return { source: { kind: 'builtin', name: 'mnist' }, key: 'bench', count, size, channels: 3, pixels, labels: null, classes: null, skipped: [], files: [], fromCache: false }
}

export async function benchTraining(
  name: BenchConfig,
  options: { backend?: BackendChoice; wasmThreads?: number; iterations?: number; warmup?: number } = {}
): Promise<TrainingFigures> {
  const backend = await initBackend(options.backend ?? 'auto', { wasmThreads: options.wasmThreads })
  const config = parseRunConfig({ ...BENCH_CONFIGS[name], iterations: 1_000_000 })
  const trainer = new Trainer(config, syntheticDataset(config.imageSize, config.batchSize * 4))
  try {
    const warmup = options.warmup ?? 2
    const iterations = options.iterations ?? (name === 'A' ? 5 : 20)
    for (let i = 0; i < warmup; i++) await trainer.step()
    const times: number[] = []
    for (let i = 0; i < iterations; i++) times.push((await trainer.step()).seconds)
    const noise = fixedNoise(config, 64)
    await trainer.generate(noise) // warm-up
    const generation: number[] = []
    for (let i = 0; i < 9; i++) {
      const started = performance.now()
      await trainer.generate(noise)
      generation.push((performance.now() - started) / 1000)
    }
    const secondsPerIteration = median(times)
    return {
      config: name,
      backend: backend.detail,
      secondsPerIteration,
      imagesPerSecond: config.batchSize / secondsPerIteration,
      generate64Seconds: median(generation),
      iterations
    }
  } finally {
    trainer.dispose()
  }
}

if (require.main === module) {
  const name = (process.argv[2] ?? 'B') as BenchConfig
  const option = (flag: string) => {
    const i = process.argv.indexOf(flag)
    return i > 0 ? process.argv[i + 1] : undefined
  }
  const backend = (option('--backend') ?? 'auto') as BackendChoice
  const threads = option('--wasm-threads')
  benchTraining(name, { backend, wasmThreads: threads === undefined ? undefined : Number(threads) }).then((f) => {
    console.log(`config ${f.config} on ${f.backend}: ${f.secondsPerIteration.toFixed(3)} s/iteration, ${f.imagesPerSecond.toFixed(1)} images/s, generate 64: ${f.generate64Seconds.toFixed(3)} s`)
  })
}
