// Where a training iteration's time goes on the wasm engine, layer by layer and step by step (conv2d,
// its input and filter gradients, BatchNorm + activation and their backward, Adam), and the same for
// generating 64 samples. Part of `npm run bench:kernels -- --iteration A|B [--threads N] [--iters K]`.
import * as tf from '@tensorflow/tfjs'
import os from 'node:os'
import { parseRunConfig } from '../src/shared/config'
import { Random } from '../src/shared/random'
import { Adam, ADAM_EPSILON } from '../src/main/training/adam'
import { startEngineProfile, stopEngineProfile, type StepTiming } from '../src/main/training/backend/wasm-dcgan'
import { buildNetworks } from '../src/main/training/gan'
import { generateImages } from '../src/main/training/generate'
import { disposeNetworks } from '../src/main/training/network'
import { trainIteration } from '../src/main/training/step'
import { BCE_STEP } from '../src/main/training/step-options'
import { BENCH_CONFIGS, type BenchConfig } from './training'

function printTable(title: string, table: Map<string, StepTiming>, runs: number, wallMs: number): void {
  const rows = [...table.entries()].sort((a, b) => b[1].ms - a[1].ms)
  const accounted = rows.reduce((sum, [, t]) => sum + t.ms, 0) / runs
  console.log(`\n${title}: ${wallMs.toFixed(0)} ms wall, ${accounted.toFixed(0)} ms in the steps below, ${(wallMs - accounted).toFixed(0)} ms elsewhere`)
  console.log(`  ${'step'.padEnd(34)}${'ms'.padStart(9)}${'calls'.padStart(7)}${'share'.padStart(8)}`)
  for (const [name, t] of rows) {
    if (t.ms / runs < 0.05) continue
    console.log(`  ${name.padEnd(34)}${(t.ms / runs).toFixed(1).padStart(9)}${String(t.calls / runs).padStart(7)}${((100 * t.ms) / runs / wallMs).toFixed(1).padStart(7)}%`)
  }
  // By kind of step, summed over layers.
  const byKind = new Map<string, number>()
  for (const [name, t] of rows) {
    const kind = name.replace(/^[GD]\d+ /, '')
    byKind.set(kind, (byKind.get(kind) ?? 0) + t.ms / runs)
  }
  console.log(`  by kind: ${[...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(', ')}`)
}

export async function profileIteration(name: BenchConfig, iterations: number, backendDetail: string): Promise<void> {
  const config = parseRunConfig({ ...BENCH_CONFIGS[name] })
  const { batchSize: n, imageSize: size, nz } = config
  const nets = buildNetworks(config, 3)
  const adam = (params: tf.Variable[], lr: number) => new Adam(params, { learningRate: lr, beta1: config.beta1, beta2: config.beta2, epsilon: ADAM_EPSILON })
  const optimizers = { generator: adam(nets.generator.params.trainable, config.lrG), discriminator: adam(nets.discriminator.params.trainable, config.lrD) }
  const random = new Random(1, 'profile')
  const real = tf.tensor4d(random.normalArray(n * size * size * 3).map(Math.tanh), [n, size, size, 3])
  const noise = tf.tensor4d(random.normalArray(n * nz), [n, 1, 1, nz])
  const step = () => trainIteration(nets, optimizers, [real], [noise], BCE_STEP)
  await step() // warm-up: heap growth, operator creation
  const table = startEngineProfile()
  const started = performance.now()
  for (let i = 0; i < iterations; i++) await step()
  const wall = (performance.now() - started) / iterations
  stopEngineProfile()
  console.log(`config ${name} on ${backendDetail}, load ${os.loadavg()[0].toFixed(2)}`)
  printTable(`training iteration (mean of ${iterations})`, table, iterations, wall)

  const latents = random.normalArray(64 * nz)
  await generateImages(nets.generator, nz, latents)
  const generation = startEngineProfile()
  const genStarted = performance.now()
  for (let i = 0; i < 3; i++) await generateImages(nets.generator, nz, latents)
  const genWall = (performance.now() - genStarted) / 3
  stopEngineProfile()
  printTable('generate 64 samples (mean of 3)', generation, 3, genWall)
  tf.dispose([real, noise])
  disposeNetworks(nets)
  optimizers.generator.dispose()
  optimizers.discriminator.dispose()
}
