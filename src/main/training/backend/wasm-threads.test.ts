// The multi-threaded wasm build. Vitest runs each test file in its own process, which this needs: the wasm
// build and its thread count are fixed at the backend's first start (the child processes below each
// choose their own).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { Random } from '../../../shared/random'
import { initBackend } from '.'

function gradsOf(seed: number): Float32Array[] {
  const random = new Random(seed, 'threads')
  return tf.tidy(() => {
    const x = tf.tensor4d(random.normalArray(4 * 16 * 16 * 8), [4, 16, 16, 8])
    const w = tf.tensor4d(random.normalArray(4 * 4 * 8 * 16), [4, 4, 8, 16])
    const r = tf.tensor4d(random.normalArray(4 * 8 * 8 * 16), [4, 8, 8, 16])
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), r))
    return tf.grads(f)([x, w])
  }).map((t) => {
    const values = t.dataSync() as Float32Array
    t.dispose()
    return values
  })
}

const ROOT = path.resolve(__dirname, '../../../..')

/** Runs a script under tsx in a fresh process with the given thread setting; its stdout, status and stderr. */
function runWithThreads(threads: string, script: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, GAN_STUDIO_WASM_THREADS: threads }
  })
}

describe('wasm with 2 threads', () => {
  it('starts, says so, and computes what the cpu backend does', async () => {
    const info = await initBackend('wasm', { wasmThreads: 2 })
    expect(info.detail).toBe('wasm (SIMD, 2 threads, GAN Studio kernels)')
    const threaded = gradsOf(3)
    await initBackend('cpu')
    const reference = gradsOf(3)
    for (let i = 0; i < reference.length; i++) {
      const scale = Math.max(...reference[i].map(Math.abs))
      const worst = Math.max(...reference[i].map((v, j) => Math.abs(v - threaded[i][j])))
      expect(worst / scale).toBeLessThan(1e-4)
    }
  })

  it('lets the process exit on its own when the work is done', () => {
    const script = `
      const { initBackend } = require(${JSON.stringify(path.join(__dirname, 'index.ts'))})
      const tf = require('@tensorflow/tfjs')
      initBackend('wasm', { wasmThreads: 2 }).then((info) => {
        tf.conv2d(tf.ones([8, 16, 16, 8]), tf.ones([3, 3, 8, 8]), 1, 'same').dataSync()
        console.log(info.detail)
      })`
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.resolve(__dirname, '../../../..'),
      encoding: 'utf8',
      timeout: 30_000
    })
    expect(result.error, 'the process did not exit within 30 s').toBeUndefined()
    expect(result.stdout.trim()).toBe('wasm (SIMD, 2 threads, GAN Studio kernels)')
    expect(result.status).toBe(0)
  })

  it('trains bit-identically with 1, 2 and 3 threads (XNNPACK partitions work, never a sum)', () => {
    // Three iterations of a small 32 px RGB DCGAN through the wasm engine; every figure and a hash of the
    // generator's weights after them.
    const script = `
      const tf = require('@tensorflow/tfjs')
      const { initBackend } = require(${JSON.stringify(path.join(__dirname, 'index.ts'))})
      const { parseRunConfig } = require(${JSON.stringify(path.join(ROOT, 'src/shared/config.ts'))})
      const { Random } = require(${JSON.stringify(path.join(ROOT, 'src/shared/random.ts'))})
      const { Adam } = require(${JSON.stringify(path.join(ROOT, 'src/main/training/adam.ts'))})
      const { buildNetworks } = require(${JSON.stringify(path.join(ROOT, 'src/main/training/gan.ts'))})
      const { trainIteration } = require(${JSON.stringify(path.join(ROOT, 'src/main/training/step.ts'))})
      const { BCE_STEP } = require(${JSON.stringify(path.join(ROOT, 'src/main/training/step-options.ts'))})
      initBackend('wasm').then(async (info) => {
        const config = parseRunConfig({ imageSize: 32, ngf: 16, ndf: 16, nz: 20, batchSize: 16, seed: 4 })
        const nets = buildNetworks(config, 3)
        const adam = (p) => new Adam(p, { learningRate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 })
        const opt = { generator: adam(nets.generator.params.trainable), discriminator: adam(nets.discriminator.params.trainable) }
        const random = new Random(1, 'threads-determinism')
        const figures = []
        for (let i = 0; i < 3; i++) {
          const real = tf.tensor4d(random.normalArray(16 * 32 * 32 * 3).map(Math.tanh), [16, 32, 32, 3])
          const noise = tf.tensor4d(random.normalArray(16 * 20), [16, 1, 1, 20])
          figures.push(await trainIteration(nets, opt, [real], [noise], BCE_STEP))
          tf.dispose([real, noise])
        }
        let hash = 0
        for (const v of nets.generator.params.trainable) {
          for (const bits of new Int32Array(v.dataSync().slice().buffer)) hash = (Math.imul(hash, 31) + bits) | 0
        }
        console.log(JSON.stringify({ detail: info.detail, figures, hash }))
      })`
    const results = ['1', '2', '3'].map((threads) => {
      const result = runWithThreads(threads, script)
      expect(result.status, result.stderr).toBe(0)
      return JSON.parse(result.stdout.trim().split('\n').pop()!) as { detail: string; figures: unknown[]; hash: number }
    })
    expect(results.map((r) => r.detail)).toEqual([1, 2, 3].map((n) => `wasm (SIMD, ${n} thread${n > 1 ? 's' : ''}, GAN Studio kernels)`))
    // Real figures, not empty objects: a step that returned something else would make every run look equal.
    expect(results[0].figures).toHaveLength(3)
    for (const f of results[0].figures as Record<string, number>[]) expect(Number.isFinite(f.lossD)).toBe(true)
    expect(results[1].figures).toEqual(results[0].figures)
    expect(results[2].figures).toEqual(results[0].figures)
    expect(results[1].hash).toBe(results[0].hash)
    expect(results[2].hash).toBe(results[0].hash)
  })

  it('says how to fix a thread setting that is not a number', () => {
    const script = `
      const { initBackend } = require(${JSON.stringify(path.join(__dirname, 'index.ts'))})
      initBackend('wasm').catch((error) => { console.log(error.message); process.exit(3) })`
    const result = runWithThreads('two', script)
    expect(result.status).toBe(3)
    expect(result.stdout.trim()).toBe('GAN_STUDIO_WASM_THREADS must be a whole number of at least 1, got "two"')
  })
})
