import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../../../shared/random'
import { initBackend } from '..'
import { clearDerivedFilters, derivedFilterCount } from './derived-filters'

const random = new Random(7, 'derived-filters')
const x = () => tf.tensor4d(random.normalArray(2 * 4 * 4 * 8), [2, 4, 4, 8])
const weights = () => random.normalArray(4 * 4 * 3 * 8)
const convT = (input: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2dTranspose(input, w, [2, 8, 8, 3], 2, 'same')

beforeAll(async () => {
  await initBackend('wasm')
})

describe('derived filters', () => {
  it('follow a variable through assign (a new buffer, so never stale)', () => {
    const input = x()
    const w1 = weights()
    const w2 = weights()
    const v = tf.variable(tf.tensor4d(w1, [4, 4, 3, 8]))
    const before = convT(input, v as unknown as tf.Tensor4D).dataSync()
    v.assign(tf.tensor4d(w2, [4, 4, 3, 8]))
    const after = convT(input, v as unknown as tf.Tensor4D).dataSync()
    const fresh = convT(input, tf.tensor4d(w2, [4, 4, 3, 8])).dataSync()
    expect(Array.from(after)).toEqual(Array.from(fresh))
    expect(Array.from(after)).not.toEqual(Array.from(before))
    tf.disposeVariables()
    tf.dispose(input)
  })

  it('are reused while their filter lives and freed after it is disposed', () => {
    clearDerivedFilters()
    const input = x()
    const w = tf.tensor4d(weights(), [4, 4, 3, 8])
    tf.dispose(convT(input, w))
    const cached = derivedFilterCount()
    expect(cached).toBeGreaterThan(0)
    tf.dispose(convT(input, w))
    expect(derivedFilterCount()).toBe(cached)

    w.dispose()
    const other = tf.tensor4d(weights(), [4, 4, 3, 8])
    tf.dispose(convT(input, other)) // purges w's copies, caches other's
    expect(derivedFilterCount()).toBe(cached)

    const buffers = (tf.backend() as BackendWasm).numDataIds()
    clearDerivedFilters()
    expect(derivedFilterCount()).toBe(0)
    expect((tf.backend() as BackendWasm).numDataIds()).toBe(buffers - cached)
    tf.dispose([input, other])
  })
})
