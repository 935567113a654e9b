// BatchSampler: seeded order, a new permutation per epoch, the partial batch dropped, exact resume from JSON.

import { describe, expect, it } from 'vitest'
import { Random } from '../../shared/random'
import { BatchSampler, DataError, type SamplerState } from './index'

const take = (sampler: BatchSampler, n: number) => Array.from({ length: n }, () => Array.from(sampler.next()))

describe('BatchSampler', () => {
  it('gives the same batches for the same seed, other batches for another seed', () => {
    const a = take(new BatchSampler(100, 8, new Random(7, 'data-order')), 40)
    const b = take(new BatchSampler(100, 8, new Random(7, 'data-order')), 40)
    const c = take(new BatchSampler(100, 8, new Random(8, 'data-order')), 40)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })

  it('covers each image at most once per epoch, drops the partial batch, and reshuffles every epoch', () => {
    const sampler = new BatchSampler(10, 3, new Random(1))
    expect(sampler.batchesPerEpoch).toBe(3)
    const epochs: number[][] = []
    for (let e = 0; e < 4; e++) {
      expect(sampler.epoch).toBe(e)
      const seen = take(sampler, 3).flat()
      expect(seen).toHaveLength(9) // 10 images, batches of 3: the 10th image waits for another epoch
      expect(new Set(seen).size).toBe(9)
      for (const i of seen) expect(i >= 0 && i < 10).toBe(true)
      epochs.push(seen)
    }
    expect(sampler.epoch).toBe(4)
    expect(new Set(epochs.map((e) => e.join(','))).size).toBe(4)
  })

  it('resumes from a JSON state mid-epoch and at an epoch boundary with exactly the same batches', () => {
    for (const taken of [0, 5, 12, 13, 25]) {
      const original = new BatchSampler(50, 4, new Random(42, 'data-order'))
      take(original, taken)
      const state = JSON.parse(JSON.stringify(original.getState())) as SamplerState
      const resumed = BatchSampler.fromState(50, 4, state)
      expect(resumed.epoch).toBe(original.epoch)
      expect(take(resumed, 30), `after ${taken} batches`).toEqual(take(original, 30))
      expect(resumed.getState()).toEqual(original.getState())
    }
  })

  it('has a small plain-JSON state', () => {
    const sampler = new BatchSampler(60000, 128, new Random(3))
    take(sampler, 470)
    const state = sampler.getState()
    expect(state).toMatchObject({ count: 60000, batchSize: 128, epoch: 1, position: 2 })
    expect(JSON.stringify(state).length).toBeLessThan(300)
  })

  it('explains a data set smaller than one batch, and a state that does not fit the data set', () => {
    expect(() => new BatchSampler(5, 8, new Random(1))).toThrow(
      new DataError('The data set has 5 images, fewer than the batch size 8; lower the batch size.')
    )
    expect(() => new BatchSampler(8, 8, new Random(1))).not.toThrow()
    const state = new BatchSampler(100, 10, new Random(1)).getState()
    expect(() => BatchSampler.fromState(99, 10, state)).toThrow(DataError)
    expect(() => BatchSampler.fromState(100, 10, { ...state, position: 10 })).toThrow(/damaged/)
  })
})
