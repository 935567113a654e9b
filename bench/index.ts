// `npm run bench`: training speed of our engine beside the PyTorch DCGAN tutorial model on the same cores
// (where Debian's python3-torch is importable), data ingest and metric storage. Prints figures and ratios;
// nothing here passes or fails.
//
//   npm run bench [-- --only A|B] [--backend wasm|webgpu|cpu|...] [--torch-device cpu|cuda|auto] [--wasm-threads N] [--skip-ingest]
//
// On a GPU backend (webgpu, tensorflow-gpu) PyTorch runs on CUDA where it can (--torch-device auto), so that
// GPU is compared with GPU; bench/gpu builds a bundle that measures exactly that on a GPU machine.
//
// The wasm backend's thread count is fixed when it first starts, so one run measures one thread count.
import os from 'node:os'
import path from 'node:path'
import type { BackendChoice } from '../src/shared/config'
import { benchIngest } from './ingest'
import { runPytorchReference, type PytorchFigures } from './pytorch/reference'
import { benchStore } from './store'
import { BENCH_CONFIGS, benchTraining, type BenchConfig, type TrainingFigures } from './training'

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

const pad = (text: string, width: number) => text.padEnd(width)
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}x`

function describe(name: BenchConfig): string {
  const c = BENCH_CONFIGS[name]
  return `config ${name}: ${c.imageSize} px RGB, ngf = ndf = ${c.ngf}, batch ${c.batchSize}`
}

/** The targets: training within 3x of PyTorch (A and B), generating 64 samples within 1.5x (config A). */
const TARGETS: Record<BenchConfig, { training: number; generation: number | null }> = {
  A: { training: 3, generation: 1.5 },
  B: { training: 3, generation: null }
}

function printComparison(ours: TrainingFigures, reference: { figures: PytorchFigures } | { skipped: string }, load: string): void {
  console.log(`\n${describe(ours.config)} (load ${load})`)
  console.log(`  ours:    ${ours.backend}`)
  if ('skipped' in reference) {
    console.log(`  PyTorch: skipped (${reference.skipped})`)
  } else {
    const f = reference.figures
    console.log(`  PyTorch: ${f.torchVersion} on ${f.device === 'cpu' ? `the CPU, ${f.threads} threads` : f.device}, ${f.blas}`)
  }
  const theirs = 'figures' in reference ? reference.figures : null
  // [label, ours, PyTorch's, the target ratio for ours/PyTorch (times; lower is better) or null]
  const rows: [string, number, number | null, number | null][] = [
    ['seconds per iteration', ours.secondsPerIteration, theirs?.secondsPerIteration ?? null, TARGETS[ours.config].training],
    ['images per second', ours.imagesPerSecond, theirs?.imagesPerSecond ?? null, null],
    ['generate 64 samples (s)', ours.generate64Seconds, theirs?.generate64Seconds ?? null, TARGETS[ours.config].generation]
  ]
  console.log(`  ${pad('', 26)}${pad('ours', 12)}${pad('PyTorch', 12)}ours/PyTorch`)
  for (const [label, mine, reference, target] of rows) {
    const shown = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(3))
    const verdict = reference === null || target === null ? '' : mine / reference <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: not met)`
    console.log(`  ${pad(label, 26)}${pad(shown(mine), 12)}${pad(reference === null ? '-' : shown(reference), 12)}${reference === null ? '-' : ratio(mine, reference)}${verdict}`)
  }
}

async function main(): Promise<void> {
  const only = option('only') as BenchConfig | undefined
  const backend = (option('backend') ?? 'auto') as BackendChoice
  const threads = option('wasm-threads')
  const torchDevice = option('torch-device') as 'cpu' | 'cuda' | 'auto' | undefined
  const wasmThreads = threads === undefined ? undefined : Number(threads)
  console.log(`GAN Studio benchmark: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(2)}, Node ${process.version}`)
  for (const name of (only ? [only] : ['A', 'B']) as BenchConfig[]) {
    // One after the other, never at once: each side gets the whole machine.
    const loadBefore = os.loadavg()[0]
    const ours = await benchTraining(name, { backend, wasmThreads })
    const loadOurs = os.loadavg()[0]
    // Ours on a GPU meets PyTorch on a GPU where there is one (CUDA); on the CPU, PyTorch on the same cores.
    const onGpu = /^(webgpu|tfjs-node-gpu)/.test(ours.backend)
    const reference = await runPytorchReference(name, { device: torchDevice ?? (onGpu ? 'auto' : 'cpu') })
    // Other processes slow both sides; the load says how much the figures can be trusted.
    printComparison(ours, reference, `${loadBefore.toFixed(2)} before, ${loadOurs.toFixed(2)} after ours, ${os.loadavg()[0].toFixed(2)} after PyTorch`)
  }
  if (!process.argv.includes('--skip-ingest')) {
    const ingest = await benchIngest({ workDir: path.join(os.tmpdir(), 'gan-studio-bench-ingest') })
    console.log(
      `\ningest: ${ingest.images} JPEGs (${ingest.sourceSize}) in ${ingest.seconds.toFixed(2)} s = ${ingest.imagesPerSecond.toFixed(0)} images/s ` +
        `(${ingest.concurrency} in flight, ${ingest.coresUsed.toFixed(2)} cores busy)`
    )
  }
  const store = benchStore()
  console.log(
    `store: recording one iteration's metrics costs ${store.insertMicrosPerRow.toFixed(1)} us (batches of ${store.batch}); ` +
      `${store.rows.toLocaleString('en')} rows read back for charting in ${store.readAllMs.toFixed(1)} ms`
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
