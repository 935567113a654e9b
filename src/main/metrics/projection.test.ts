// The sorted-projection core: the radix sort against the native sort, the 1-D distance against hand values.

import { describe, expect, it } from 'vitest'
import { Random } from '../../shared/random'
import { radixSortFloat32, sortedProjections, wassersteinOfSorted } from './projection'

describe('radixSortFloat32', () => {
  it('sorts like Float32Array.prototype.sort: negatives, zeros of both signs, ties, tiny and huge values', () => {
    const random = new Random(3)
    const values = new Float32Array(5000)
    for (let i = 0; i < values.length; i++) values[i] = random.normal() * 10 ** (random.int(20) - 10)
    values.set([0, -0, 0, 1, 1, -1, -1, 3.4e38, -3.4e38, 1e-45, -1e-45], 100)
    const expected = values.slice().sort()
    radixSortFloat32(values, new Uint32Array(values.length))
    expect(Array.from(values).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(
      Array.from(expected).map((v) => Object.is(v, -0) ? '-0' : v)
    )
  })

  it('sorts a view in place without touching its neighbours', () => {
    const buffer = new Float32Array([9, 3, 1, 2, -5, 9])
    radixSortFloat32(buffer.subarray(1, 5), new Uint32Array(4))
    expect(Array.from(buffer)).toEqual([9, -5, 1, 2, 3, 9])
  })
})

describe('sortedProjections', () => {
  it('gives each direction its sorted dot products, direction after direction', () => {
    const random = new Random(4)
    const [count, dimension, directionCount] = [7, 5, 6] // odd counts exercise the tiles' remainders
    const values = random.normalArray(count * dimension)
    const directions = random.normalArray(directionCount * dimension)
    const sorted = sortedProjections(values, count, dimension, directions, directionCount)
    for (let p = 0; p < directionCount; p++) {
      const expected = new Float32Array(count)
      for (let i = 0; i < count; i++) {
        let dot = 0
        for (let k = 0; k < dimension; k++) dot += values[i * dimension + k] * directions[p * dimension + k]
        expected[i] = dot
      }
      expected.sort()
      for (let i = 0; i < count; i++) expect(sorted[p * count + i]).toBeCloseTo(expected[i], 5)
    }
  })
})

describe('wassersteinOfSorted', () => {
  it('is the mean absolute difference of sorted lists of equal size', () => {
    expect(wassersteinOfSorted(new Float32Array([0, 1, 2]), new Float32Array([1, 1, 5]))).toBeCloseTo((1 + 0 + 3) / 3, 6)
  })

  it('is the area between the quantile functions for unequal sizes', () => {
    // {0, 1} vs {0, 0.5, 1}: the quantiles differ by 0.5 on t in [1/3, 2/3], area 1/6.
    expect(wassersteinOfSorted(new Float32Array([0, 1]), new Float32Array([0, 0.5, 1]))).toBeCloseTo(1 / 6, 6)
    // A sample and the same sample repeated twice are the same distribution.
    expect(wassersteinOfSorted(new Float32Array([-1, 2, 4]), new Float32Array([-1, -1, 2, 2, 4, 4]))).toBe(0)
    // A shift moves every quantile by the same amount.
    expect(wassersteinOfSorted(new Float32Array([0, 1, 2, 3]), new Float32Array([0.5, 2.5]))).toBeCloseTo(0.5, 6)
    expect(wassersteinOfSorted(new Float32Array([3]), new Float32Array([1, 2]))).toBeCloseTo(1.5, 6)
  })
})
