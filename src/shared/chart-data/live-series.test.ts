import { describe, expect, it } from 'vitest'
import { CumulativeSecondsColumn, ElapsedSecondsColumn, GrowableColumn, runStartMs } from './columns'
import { LiveSeries } from './live-series'
import { emaSmooth } from './smoothing'
import { noisy, tensorBoardSmooth } from './test-series'

describe('LiveSeries', () => {
  it('smooths appended points incrementally to the same values as smoothing everything at once', () => {
    const all = noisy(5000)
    const source: number[] = []
    const column = new LiveSeries(0.95)
    const results: string[] = []
    for (let start = 0; start < all.length; start += 777) {
      source.push(...all.slice(start, start + 777))
      results.push(column.sync(source))
    }
    expect(results[0]).toBe('rebuilt')
    expect(results.slice(1).every((r) => r === 'appended')).toBe(true)
    expect(column.sync(source)).toBe('unchanged')
    expect(Array.from(column.smoothedValues())).toEqual(tensorBoardSmooth(all, 0.95))
  })

  it('starts over for a new weight, a different array, or a shorter one', () => {
    const values = noisy(300)
    const column = new LiveSeries(0.5)
    column.sync(values)
    expect(column.sync(values, values.length, 0.9)).toBe('rebuilt')
    expect(column.weight).toBe(0.9)
    expect(Array.from(column.smoothedValues())).toEqual(tensorBoardSmooth(values, 0.9))
    expect(column.sync(values.slice())).toBe('rebuilt')
    expect(column.sync(values, 100)).toBe('rebuilt')
    expect(column.length).toBe(100)
    expect(Array.from(column.rawValues())).toEqual(values.slice(0, 100))
  })

  it('keeps min/max indexes of the raw and smoothed values that agree with a scan', () => {
    const values = noisy(5000)
    values[4321] = 80
    const column = new LiveSeries(0.99)
    column.sync(values.slice(0, 1000))
    const out = new Int32Array(2)
    column.sync(values)
    column.rawIndex.query(column.rawValues(), 0, 5000, out)
    expect(out[1]).toBe(4321)
    const smoothed = Array.from(column.smoothedValues())
    column.smoothedIndex.query(column.smoothedValues(), 0, 5000, out)
    expect([smoothed[out[0]], smoothed[out[1]]]).toEqual([Math.min(...smoothed), Math.max(...smoothed)])
  })

  it('shows a constant start unsmoothed until the series varies, then matches TensorBoard from the first point', () => {
    const values = [3, 3, 3]
    const column = new LiveSeries(0.6)
    column.sync(values)
    expect(Array.from(column.smoothedValues())).toEqual([3, 3, 3])
    values.push(7)
    expect(column.sync(values)).toBe('appended')
    // EMA after three 3s: last = 3 * (1 - 0.6^3) = 2.352; then 1.4112 + 2.8 = 4.2112 over 1 - 0.6^4 = 0.8704
    expect(column.smoothedValues()[3]).toBeCloseTo(4.2112 / 0.8704, 14)
    // 3 * 0.4 / 0.4 is 3.0000000000000004 in floating point: the prefix is now TensorBoard's, bit for bit.
    expect(Array.from(column.smoothedValues())).toEqual(tensorBoardSmooth(values, 0.6))
  })

  it('equals TensorBoard bit for bit for any append pattern', () => {
    const all = [2, 2, NaN, 2, 5, 1, Infinity, 4, ...noisy(500)]
    for (const chunk of [1, 2, 3, 7, 100]) {
      const source: number[] = []
      const column = new LiveSeries(0.8)
      for (let i = 0; i < all.length; i += chunk) {
        source.push(...all.slice(i, i + chunk))
        column.sync(source)
        expect(Array.from(column.smoothedValues())).toEqual(tensorBoardSmooth(source, 0.8))
      }
    }
  })
})

describe('GrowableColumn and the time columns', () => {
  it('keeps every pushed value across capacity doublings', () => {
    const column = new GrowableColumn(16)
    for (let i = 0; i < 1000; i++) column.push(i * 0.5)
    expect(column.length).toBe(1000)
    expect(column.values()[999]).toBe(499.5)
    expect(column.values().reduce((a, b) => a + b, 0)).toBe(0.5 * (999 * 1000) / 2)
  })

  it('counts seconds from the first point and never steps back', () => {
    const wall = [1_000_000, 1_000_500, NaN, 1_002_000, 1_001_000, 1_005_000]
    const elapsed = new ElapsedSecondsColumn()
    elapsed.sync(wall, 3)
    expect(elapsed.sync(wall)).toBe('appended')
    expect(Array.from(elapsed.values())).toEqual([0, 0.5, 0.5, 2, 2, 5])
  })

  it('counts from a given origin, and starts over when the origin changes', () => {
    const wall = [1_001_000, 1_002_000]
    const elapsed = new ElapsedSecondsColumn()
    elapsed.startAt(1_000_000)
    elapsed.sync(wall)
    expect(Array.from(elapsed.values())).toEqual([1, 2])
    expect(elapsed.sync(wall)).toBe('unchanged')
    elapsed.startAt(999_000)
    expect(elapsed.sync(wall)).toBe('rebuilt')
    expect(Array.from(elapsed.values())).toEqual([2, 3])
  })

  it('puts a run\'s start where its first iteration began', () => {
    // The first iteration finished at 10 s and took 2 s: the run started at 8 s.
    expect(runStartMs([10_000, 11_000], [2, 1])).toBe(8_000)
    // A missing duration: the first iteration's end is the best we know.
    expect(runStartMs([10_000], [Number.NaN])).toBe(10_000)
    expect(runStartMs([], [])).toBeNaN()
  })

  it('adds up training seconds, ignoring missing or negative durations', () => {
    const training = new CumulativeSecondsColumn()
    const seconds = [0.5, 0.25, Number.NaN, -1, 1]
    training.sync(seconds, 2)
    expect(training.sync(seconds)).toBe('appended')
    expect(Array.from(training.values())).toEqual([0.5, 0.75, 0.75, 0.75, 1.75])
  })
})
