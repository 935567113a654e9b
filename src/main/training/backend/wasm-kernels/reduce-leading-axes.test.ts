import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../../../shared/random'
import { initBackend } from '..'

beforeAll(async () => {
  await initBackend('wasm')
})

interface Case {
  name: string
  shape: number[]
  axis: number | number[]
  keepDims: boolean
  dtype?: 'float32' | 'int32'
}

const CASES: Case[] = [
  { name: 'batch-norm statistics: NHWC over [0, 1, 2]', shape: [6, 5, 3, 8], axis: [0, 1, 2], keepDims: false },
  { name: 'same, keepDims', shape: [6, 5, 3, 8], axis: [0, 1, 2], keepDims: true },
  { name: 'rows of a matrix, odd row count', shape: [7, 3], axis: 0, keepDims: false },
  { name: 'unsorted, negative axes', shape: [4, 3, 2, 5], axis: [-3, 0], keepDims: true },
  { name: 'stock fallback: inner axes', shape: [4, 3, 5], axis: [1, 2], keepDims: false },
  { name: 'stock fallback: every axis', shape: [4, 3], axis: [0, 1], keepDims: false },
  { name: 'stock fallback: int32', shape: [5, 4], axis: 0, keepDims: false, dtype: 'int32' }
]

async function reducedOn(backend: 'wasm' | 'cpu', c: Case) {
  await initBackend(backend)
  const size = c.shape.reduce((a, b) => a * b, 1)
  const values = new Random(5, c.name).normalArray(size).map((v) => (c.dtype === 'int32' ? Math.round(v * 10) : v + 3))
  return tf.tidy(() => {
    const x = tf.tensor(values, c.shape, c.dtype ?? 'float32')
    return [tf.sum(x, c.axis, c.keepDims), tf.mean(x, c.axis, c.keepDims)].map((t) => ({
      shape: t.shape,
      values: Array.from(t.dataSync())
    }))
  })
}

describe('wasm Sum and Mean', () => {
  it.each(CASES)('$name: match the cpu backend', async (c) => {
    const expected = await reducedOn('cpu', c)
    const actual = await reducedOn('wasm', c)
    for (let i = 0; i < 2; i++) {
      expect(actual[i].shape).toEqual(expected[i].shape)
      const scale = Math.max(...expected[i].values.map(Math.abs))
      actual[i].values.forEach((v, j) => expect(Math.abs(v - expected[i].values[j])).toBeLessThanOrEqual(1e-6 * scale))
    }
  })

  it('keep tensors and wasm buffers flat', () => {
    const once = () => tf.tidy(() => tf.add(tf.sum(tf.ones([4, 3, 3, 8]), [0, 1, 2]), tf.mean(tf.ones([4, 3, 3, 8]), [0, 1, 2], true)).dataSync())
    once()
    const tensors = tf.memory().numTensors
    const buffers = (tf.backend() as BackendWasm).numDataIds()
    for (let i = 0; i < 3; i++) once()
    expect(tf.memory().numTensors).toBe(tensors)
    expect((tf.backend() as BackendWasm).numDataIds()).toBe(buffers)
  })
})
