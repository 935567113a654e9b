import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../../../shared/random'
import { initBackend } from '..'
import { isWholeBlockRepetition } from './tile'

beforeAll(async () => {
  await initBackend('wasm')
})

const random = new Random(11, 'tile')

/** Tiled on wasm (ours or the stock fallback) and on cpu. */
async function tiledOnBoth(shape: number[], reps: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32') {
  const size = shape.reduce((a, b) => a * b, 1)
  const values = Array.from(random.normalArray(size), (v) => (dtype === 'float32' ? v : Math.round(v * 3)))
  const run = () => {
    const x = dtype === 'bool' ? tf.tensor(values.map((v) => v > 0), shape, 'bool') : tf.tensor(values, shape, dtype)
    const y = tf.tile(x, reps)
    const out = { shape: y.shape, values: Array.from(y.dataSync()) }
    tf.dispose([x, y])
    return out
  }
  await initBackend('cpu')
  const expected = run()
  await initBackend('wasm')
  return { actual: run(), expected }
}

describe('wasm Tile', () => {
  it.each([
    { name: 'the batch-norm gradient: [1,1,1,C] by [N,H,W,1]', shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
    { name: 'a row repeated, copies not a power of two', shape: [1, 7], reps: [5, 1] },
    { name: 'all reps 1', shape: [2, 3], reps: [1, 1] },
    { name: 'int32', shape: [1, 4], reps: [3, 1], dtype: 'int32' as const },
    { name: 'stock fallback: each element repeated', shape: [3, 1], reps: [1, 4] },
    { name: 'stock fallback: interleaved axes', shape: [2, 3], reps: [2, 2] },
    { name: 'stock fallback: bool', shape: [1, 3], reps: [2, 1], dtype: 'bool' as const }
  ])('$name matches the cpu backend', async ({ shape, reps, dtype }) => {
    const { actual, expected } = await tiledOnBoth(shape, reps, dtype)
    expect(actual.shape).toEqual(expected.shape)
    expect(actual.values).toEqual(expected.values)
  })

  it('tells whole-block repetitions from the rest', () => {
    expect(isWholeBlockRepetition([1, 1, 1, 64], [128, 8, 8, 1])).toBe(true)
    expect(isWholeBlockRepetition([1, 4, 4], [3, 1, 1])).toBe(true)
    expect(isWholeBlockRepetition([4, 1], [1, 3])).toBe(false)
    expect(isWholeBlockRepetition([1, 4, 1], [2, 1, 2])).toBe(false)
  })

  it('keeps tensors and wasm buffers flat', () => {
    const once = () => tf.tidy(() => tf.tile(tf.ones([1, 1, 1, 8]), [4, 2, 2, 1]).sum().dataSync())
    once()
    const tensors = tf.memory().numTensors
    const buffers = (tf.backend() as BackendWasm).numDataIds()
    for (let i = 0; i < 3; i++) once()
    expect(tf.memory().numTensors).toBe(tensors)
    expect((tf.backend() as BackendWasm).numDataIds()).toBe(buffers)
  })
})
