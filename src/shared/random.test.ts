import { describe, expect, it } from 'vitest'
import { Random } from './random'

describe('Random', () => {
  it('repeats for a seed and differs between seeds and streams', () => {
    const a = new Random(42)
    const b = new Random(42)
    const seq = Array.from({ length: 5 }, () => a.nextUint32())
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seq)
    expect(new Random(43).nextUint32()).not.toBe(seq[0])
    expect(new Random(42, 'noise').nextUint32()).not.toBe(seq[0])
  })

  it('continues exactly after its state went through JSON, spare normal included', () => {
    const a = new Random(7)
    a.normal() // leaves a spare deviate cached
    const copy = Random.fromState(JSON.parse(JSON.stringify(a.getState())))
    expect(Array.from(copy.normalArray(9))).toEqual(Array.from(a.normalArray(9)))
  })

  it('draws normals with mean 0 and standard deviation 1', () => {
    const values = new Random(1).normalArray(200_000)
    const mean = values.reduce((s, v) => s + v, 0) / values.length
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length
    expect(Math.abs(mean)).toBeLessThan(0.01)
    expect(Math.abs(variance - 1)).toBeLessThan(0.01)
  })

  it('shuffles into a permutation of every index', () => {
    const p = new Random(3).permutation(1000)
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    expect(Array.from(p.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})
