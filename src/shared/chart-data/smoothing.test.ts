import { describe, expect, it } from 'vitest'
import { EmaSmoother, clampSmoothing, emaSmooth } from './smoothing'
import { noisy, tensorBoardSmooth } from './test-series'

describe('emaSmooth', () => {
  it('debiases like TensorBoard: [1, 2, 3, 4] at 0.5 gives 1, 5/3, 17/7, 49/15', () => {
    // last: 0.5, 1.25, 2.125, 3.0625; debias: 0.5, 0.75, 0.875, 0.9375
    const out = emaSmooth([1, 2, 3, 4], 0.5)
    expect(out[0]).toBeCloseTo(1, 15)
    expect(out[1]).toBeCloseTo(5 / 3, 15)
    expect(out[2]).toBeCloseTo(17 / 7, 15)
    expect(out[3]).toBeCloseTo(49 / 15, 15)
  })

  it('skips NaN and Infinity: they pass through and do not move the average', () => {
    const out = Array.from(emaSmooth([1, NaN, 2, Infinity, 3, -Infinity, 4], 0.5))
    expect(out[1]).toBeNaN()
    expect(out[3]).toBe(Infinity)
    expect(out[5]).toBe(-Infinity)
    expect([out[0], out[2], out[4], out[6]].map((v) => +v.toFixed(12))).toEqual(
      [1, 5 / 3, 17 / 7, 49 / 15].map((v) => +v.toFixed(12))
    )
  })

  it('at weight 0.6 turns [10, 0] into [10, 3.75] (2.4 / 0.64)', () => {
    expect(Array.from(emaSmooth([10, 0], 0.6)).map((v) => +v.toFixed(12))).toEqual([10, 3.75])
  })

  it('leaves values alone at weight 0 and keeps a constant series exactly constant', () => {
    const values = noisy(100)
    expect(Array.from(emaSmooth(values, 0))).toEqual(values)
    expect(Array.from(emaSmooth([0.1, 0.1, 0.1, 0.1], 0.9))).toEqual([0.1, 0.1, 0.1, 0.1])
  })

  it('matches the TensorBoard loop bit for bit, including long past the point where debiasing stops mattering', () => {
    const values = noisy(60_000)
    values[10] = NaN
    values[20_000] = Infinity
    for (const w of [0.3, 0.9, 0.999]) expect(Array.from(emaSmooth(values, w))).toEqual(tensorBoardSmooth(values, w))
  })

  it('clamps the weight to [0, 0.999] and treats NaN as no smoothing', () => {
    expect([clampSmoothing(-1), clampSmoothing(NaN), clampSmoothing(0.5), clampSmoothing(1)]).toEqual([0, 0, 0.5, 0.999])
    expect(new EmaSmoother(1).weight).toBe(0.999)
  })
})
