// The experimental multi-threaded wasm build. Vitest runs each test file in its own process, which this
// needs: the wasm build and its thread count are fixed at the backend's first start.
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

describe('wasm with 2 threads (experimental)', () => {
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
})
