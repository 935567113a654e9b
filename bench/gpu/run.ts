// The GPU benchmark, as the bundle runs it on a Linux machine with an NVIDIA GPU (bench/gpu/build-bundle.js):
// ours on webgpu (Dawn over Vulkan) beside the PyTorch tutorial model on CUDA, configs A and B, seconds per
// iteration and the ratio, generating 64 samples, and where our time goes. Prints figures; passes nothing.
//
//   ./run.sh [--only A|B] [--python /path/to/python3] [--quick] [--allow-software] [--tiny]
//
// --allow-software runs on a software adapter, and --tiny shrinks the models to ngf = ndf = 4, batch 8:
// together, a dry run of the bundle on a machine without a GPU (a software adapter takes minutes per
// iteration of the real configs).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { parseRunConfig } from '../../src/shared/config'
import { fixedNoise } from '../../src/shared/noise'
import { Random } from '../../src/shared/random'
import { releaseBackends } from '../../src/main/training/backend'
import { startNodeWebgpu } from '../../src/main/training/backend/webgpu'
import { Trainer } from '../../src/main/training/trainer'
import { runPytorchReference, type PytorchFigures } from '../pytorch/reference'
import { BENCH_CONFIGS, type BenchConfig } from '../training'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const quick = args.includes('--quick') || args.includes('--tiny')
const tiny = args.includes('--tiny')
const started = performance.now()
const log = (line = '') => console.log(line)
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`
/** Where the benchmark is, on stderr: a GPU that hangs shows where. */
const progress = (what: string) => process.stderr.write(`  ... ${what} (at ${elapsed()})\n`)

/** Runs a command for its output; null where it is missing or fails. */
function output(command: string, commandArgs: string[]): string | null {
  try {
    return execFileSync(command, commandArgs, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d']

/**
 * NVIDIA's Vulkan driver is its libGLX_nvidia.so.0; containers often have the library but not the manifest
 * that names it (the container toolkit adds it only with the 'graphics' capability). Then write one.
 */
function ensureNvidiaVulkanManifest(): string {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return `Vulkan drivers from VK_ICD_FILENAMES/VK_DRIVER_FILES`
  const manifests = ICD_DIRS.filter(existsSync).flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)))
  if (manifests.some((m) => /nvidia/i.test(m))) return `Vulkan drivers: ${manifests.join(', ')}`
  const library = (output('ldconfig', ['-p']) ?? '').split('\n').find((l) => l.includes('libGLX_nvidia.so.0'))
  if (!library) return `Vulkan drivers: ${manifests.join(', ') || 'none found'} (no NVIDIA one, and no libGLX_nvidia.so.0 to write one for)`
  const manifest = join(mkdtempSync(join(os.tmpdir(), 'gan-vulkan-')), 'nvidia_icd.json')
  writeFileSync(manifest, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: 'libGLX_nvidia.so.0', api_version: '1.3.0' } }))
  process.env.VK_ICD_FILENAMES = manifest
  return `Vulkan drivers: none named NVIDIA's, so ${manifest} points the loader at libGLX_nvidia.so.0`
}

/** The first Python whose PyTorch sees a CUDA GPU (a venv's python3 first: Debian's may have a CPU-only torch). */
function cudaPython(): string | undefined {
  for (const python of ['python3', 'python', '/usr/bin/python3']) {
    const seen = output(python, ['-c', 'import torch; print(torch.cuda.is_available())'])
    if (seen === 'True') return python
  }
  return undefined
}

const TINY = { ngf: 4, ndf: 4, batchSize: 8 }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

interface OurFigures {
  secondsPerIteration: number
  /** The part of an iteration spent recording and submitting GPU work in JavaScript... */
  dispatchSeconds: number
  /** ...and the part spent waiting for the GPU and reading the figures back. */
  waitSeconds: number
  generate64Seconds: number
  /** GPU time per kind of program in one iteration, where the GPU has timestamps. */
  kernels: { name: string; ms: number }[] | null
  kernelMs: number | null
  /** Wall time of the profiled iteration (GPU timestamps slow it down a little). */
  profiledMs: number | null
}

async function measureOurs(name: BenchConfig): Promise<OurFigures> {
  const config = parseRunConfig({ ...BENCH_CONFIGS[name], ...(tiny ? TINY : {}), iterations: 1_000_000, seed: 1 })
  const random = new Random(7, 'gpu-bench-data')
  const count = config.batchSize * 4
  const pixels = Uint8Array.from({ length: count * config.imageSize * config.imageSize * 3 }, () => random.int(256))
  const trainer = new Trainer(config, { count, size: config.imageSize, channels: 3, pixels })
  try {
    // The first iterations compile the shaders: not what a run of hundreds of iterations sees.
    progress('warming up (the first iterations compile the GPU programs)')
    for (let i = 0; i < 3; i++) await trainer.step()
    progress('timing iterations')
    const iterations = quick ? 3 : name === 'A' ? 15 : 40
    const total: number[] = []
    const dispatch: number[] = []
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now()
      const pending = trainer.step() // runs to its one read-back: every GPU command is recorded by then
      const t1 = performance.now()
      await pending
      const t2 = performance.now()
      total.push((t2 - t0) / 1000)
      dispatch.push((t1 - t0) / 1000)
    }
    progress('timing the generation of 64 samples')
    const noise = fixedNoise(config, 64)
    await trainer.generate(noise)
    const generation: number[] = []
    for (let i = 0; i < 7; i++) {
      const t = performance.now()
      await trainer.generate(noise)
      generation.push((performance.now() - t) / 1000)
    }
    let kernels: OurFigures['kernels'] = null
    let kernelMs: number | null = null
    let profiledMs: number | null = null
    progress('timing the GPU programs of one iteration')
    try {
      let pending: Promise<unknown> | null = null
      const t = performance.now()
      const timing = (await tf.time(() => void (pending = trainer.step()))) as tf.TimingInfo & { getExtraProfileInfo?: () => string }
      await pending
      profiledMs = performance.now() - t
      if (typeof timing.kernelMs === 'number' && timing.kernelMs > 0 && timing.getExtraProfileInfo) {
        kernelMs = timing.kernelMs
        const byName = new Map<string, number>()
        for (const entry of timing.getExtraProfileInfo().split(', ')) {
          const [program, ms] = entry.split(': ')
          byName.set(program, (byName.get(program) ?? 0) + Number(ms))
        }
        kernels = [...byName].map(([program, ms]) => ({ name: program, ms })).sort((a, b) => b.ms - a.ms)
      }
    } catch {
      // No timestamps on this GPU: the dispatch/wait split above still says where the time goes.
    }
    const seconds = median(total)
    return { secondsPerIteration: seconds, dispatchSeconds: median(dispatch), waitSeconds: seconds - median(dispatch), generate64Seconds: median(generation), kernels, kernelMs, profiledMs }
  } finally {
    trainer.dispose()
  }
}

function ratioLine(label: string, ours: number, theirs: number | null, target: number | null): string {
  const shown = (v: number) => (v < 0.01 ? v.toFixed(4) : v.toFixed(3))
  const ratio = theirs === null ? '-' : `${(ours / theirs).toFixed(2)}x`
  const verdict = theirs === null || target === null ? '' : ours / theirs <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: not met)`
  return `  ${label.padEnd(26)}${shown(ours).padEnd(12)}${(theirs === null ? '-' : shown(theirs)).padEnd(12)}${ratio}${verdict}`
}

async function main(): Promise<void> {
  log(`GAN Studio GPU benchmark: ${os.cpus()[0]?.model ?? 'CPU'} (${os.availableParallelism()} cores), Node ${process.version}, ${os.platform()} ${os.release()}`)
  const smi = output('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'])
  log(`nvidia-smi: ${smi ?? 'not found'}`)
  log(ensureNvidiaVulkanManifest())
  const backend = await startNodeWebgpu({ allowSoftware: true, profiling: true })
  log(`ours: ${backend.detail}`)
  if (backend.adapter?.software && !args.includes('--allow-software')) {
    throw new Error(`the only WebGPU adapter is a software one (${backend.adapter.name}): the Vulkan driver for the GPU is missing (see above); --allow-software runs anyway`)
  }
  const python = option('python') ?? cudaPython()
  const only = option('only') as BenchConfig | undefined
  for (const name of (only ? [only] : ['A', 'B']) as BenchConfig[]) {
    const c = BENCH_CONFIGS[name]
    const shape = tiny ? { ...c, ...TINY } : c
    log(`\nconfig ${name}: ${c.imageSize} px RGB, ngf = ndf = ${shape.ngf}, batch ${shape.batchSize}${tiny ? ' (--tiny)' : ''} (at ${elapsed()})`)
    const ours = await measureOurs(name)
    const reference = tiny
      ? { skipped: '--tiny: ours only, on models too small to compare' }
      : await runPytorchReference(name, { device: 'cuda', python, iterations: quick ? 3 : name === 'A' ? 20 : 50, warmup: 3 })
    const theirs: PytorchFigures | null = 'figures' in reference ? reference.figures : null
    log(`  PyTorch: ${theirs ? `${theirs.torchVersion} on ${theirs.device}, ${theirs.blas}` : `skipped (${'skipped' in reference ? reference.skipped : ''})`}`)
    log(`  ${''.padEnd(26)}${'ours'.padEnd(12)}${'PyTorch'.padEnd(12)}ours/PyTorch`)
    log(ratioLine('seconds per iteration', ours.secondsPerIteration, theirs?.secondsPerIteration ?? null, name === 'A' ? 3 : null))
    log(ratioLine('generate 64 samples (s)', ours.generate64Seconds, theirs?.generate64Seconds ?? null, null))
    const share = (part: number) => `${((100 * part) / ours.secondsPerIteration).toFixed(0)}%`
    log(`  where our iteration goes: ${(ours.dispatchSeconds * 1000).toFixed(1)} ms recording GPU work in JavaScript (${share(ours.dispatchSeconds)}), ` +
      `${(ours.waitSeconds * 1000).toFixed(1)} ms waiting for the GPU and the read-back (${share(ours.waitSeconds)})`)
    if (ours.kernels && ours.kernelMs !== null) {
      log(`  GPU busy in one profiled iteration: ${ours.kernelMs.toFixed(1)} ms of its ${ours.profiledMs?.toFixed(1) ?? '?'} ms; by program:`)
      for (const k of ours.kernels.slice(0, 8)) log(`    ${k.name.padEnd(40)}${k.ms.toFixed(2)} ms`)
    } else {
      log('  GPU time by program: not available (this GPU offers no timestamp queries)')
    }
  }
  log(`\ndone in ${elapsed()}`)
}

main()
  .catch((error: unknown) => {
    console.error(`gpu benchmark: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
  .finally(() => releaseBackends())
