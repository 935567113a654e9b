import { describe, expect, it } from 'vitest'
import { swdInterval, swdTimeShare } from './schedule'

describe('swdInterval', () => {
  it('picks the smallest 1-2-5 interval that keeps SWD within the budget', () => {
    expect(swdInterval(0.5, 1)).toBe(10) // exactly 5%
    expect(swdInterval(0.51, 1)).toBe(20)
    expect(swdInterval(3, 0.3)).toBe(200)
    expect(swdInterval(8, 10)).toBe(20)
    expect(swdInterval(0.001, 10)).toBe(1)
    expect(swdInterval(3, 0.3, 0.01)).toBe(1000)
  })

  it('keeps the share of training time under the budget at the interval it picks', () => {
    for (const [seconds, perIteration] of [[2.7, 0.3], [7, 10], [0.2, 0.05]]) {
      const interval = swdInterval(seconds, perIteration)
      expect(swdTimeShare(seconds, perIteration, interval)).toBeLessThanOrEqual(0.05)
    }
  })

  it('refuses nonsense', () => {
    expect(() => swdInterval(1, 0)).toThrow(/secondsPerIteration > 0/)
    expect(() => swdInterval(Number.NaN, 1)).toThrow(RangeError)
  })
})
