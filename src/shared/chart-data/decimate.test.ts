import { describe, expect, it } from 'vitest'
import { decimateMinMax, decimateMinMaxMany, gapsAsNull, joinDecimated } from './decimate'
import { MinMaxIndex } from './min-max-index'
import { nearestIndex } from './search'
import { LiveSeries } from './live-series'
import { emaSmooth } from './smoothing'
import { noisy } from './test-series'

describe('decimateMinMax', () => {
  const n = 100_000
  const x = Float64Array.from({ length: n }, (_, i) => i)
  const y = Float64Array.from(noisy(n))
  y[31_337] = 50 // a loss spike
  y[77_001] = -20

  // The output of a decimated range, slot by slot: consecutive pairs of points (each slot here has many).
  function slots(out: { x: Float64Array; y: Float64Array }): { from: number; to: number; values: [number, number] }[] {
    const pairs = []
    for (let m = 0; m + 1 < out.x.length; m += 2) pairs.push({ from: out.x[m], to: out.x[m + 1], values: [out.y[m], out.y[m + 1]] as [number, number] })
    return pairs
  }

  it('keeps the extreme spikes, near their x, and the range`s first and last x, in at most 2 points per bucket', () => {
    const out = decimateMinMax(x, y, 0, n - 1, 200)
    expect(out.x.length).toBeLessThanOrEqual(2 * 200)
    expect(out.x.length).toBeGreaterThan(300)
    const spike = Array.from(out.y).indexOf(50)
    expect(Math.abs(out.x[spike] - 31_337)).toBeLessThan(n / 200)
    expect(Array.from(out.y)).toContain(-20)
    expect([out.x[0], out.x[out.x.length - 1]]).toEqual([0, n - 1])
  })

  it('turns each bucket into its first and last x carrying its true min and max, in the order they occur', () => {
    const out = decimateMinMax(x, y, 0, n - 1, 50)
    const pairs = slots(out)
    expect(pairs.length).toBe(50)
    expect(pairs[0].from).toBe(0)
    pairs.forEach((p, k) => {
      if (k > 0) expect(p.from).toBe(pairs[k - 1].to + 1) // the buckets tile the range
      const inside = Array.from(y.subarray(p.from, p.to + 1))
      const lo = Math.min(...inside)
      const hi = Math.max(...inside)
      const loFirst = inside.indexOf(lo) <= inside.indexOf(hi)
      expect(p.values).toEqual(loFirst ? [lo, hi] : [hi, lo])
    })
    expect(pairs[49].to).toBe(n - 1)
  })

  it('returns only points inside the range, or one neighbour beyond each end with pad', () => {
    const out = decimateMinMax(x, y, 1000.5, 1999.5, 100)
    expect(out.x[0]).toBe(1001)
    expect(out.x[out.x.length - 1]).toBe(1999)
    const padded = decimateMinMax(x, y, 1000.5, 1999.5, 100, { pad: true })
    expect([padded.x[0], padded.x[padded.x.length - 1]]).toEqual([1000, 2000])
    expect([padded.y[0], padded.y[padded.y.length - 1]]).toEqual([y[1000], y[2000]])
  })

  it('returns a small range whole', () => {
    const out = decimateMinMax(x, y, 10, 19, 100)
    expect(Array.from(out.x)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect(Array.from(out.y)).toEqual(Array.from(y.subarray(10, 20)))
  })

  it('handles empty input, a range between two points, a range outside the data and a reversed range', () => {
    expect(decimateMinMax([], [], 0, 10, 100).x.length).toBe(0)
    expect(decimateMinMax([0, 10], [1, 2], 3, 4, 100).x.length).toBe(0)
    expect(Array.from(decimateMinMax([0, 10], [1, 2], 3, 4, 100, { pad: true }).x)).toEqual([0, 10])
    expect(decimateMinMax(x, y, n + 5, n + 10, 100).x.length).toBe(0)
    expect(Array.from(decimateMinMax(x, y, n + 5, n + 10, 100, { pad: true }).x)).toEqual([n - 1])
    expect(decimateMinMax(x, y, 50, 10, 100).x.length).toBe(0)
  })

  it('never takes NaN or Infinity as a min or max, and shows a bucket without finite values as a gap', () => {
    const m = 10_000
    const bad = Float64Array.from(noisy(m))
    bad[0] = Infinity
    bad[6000] = -Infinity
    bad[7000] = 1e6
    bad.fill(NaN, 2000, 2500) // exactly one bucket of 500
    const out = decimateMinMax(Float64Array.from({ length: m }, (_, i) => i), bad, 0, m, 20)
    expect(Array.from(out.y).some((v) => v === Infinity || v === -Infinity)).toBe(false)
    expect(Array.from(out.y)).toContain(1e6)
    const gap = Array.from(out.x).indexOf(2000)
    expect([out.y[gap], out.y[gap + 1]]).toEqual([NaN, NaN])
    expect(Array.from(out.y).filter((v) => Number.isNaN(v)).length).toBe(2)
    const small = decimateMinMax([1, 2, 3], [1, Infinity, 3], 0, 5, 10)
    expect(Array.from(small.y)).toEqual([1, NaN, 3])
  })

  it('decimates several columns on one x, keeping each column`s spikes, with no more points than one column', () => {
    const other = Float64Array.from(noisy(n, 7))
    other[123] = 99
    const one = decimateMinMax(x, y, 0, n - 1, 100)
    const out = decimateMinMaxMany(x, [y, other], 0, n - 1, 100)
    expect(out.ys.length).toBe(2)
    expect(Array.from(out.x)).toEqual(Array.from(one.x))
    expect(Array.from(out.ys[0])).toEqual(Array.from(one.y))
    expect(Array.from(out.ys[1])).toContain(99)
  })

  it('uses only the first `length` points when told', () => {
    const out = decimateMinMax(x, y, 0, n, 10, { length: 5 })
    expect(Array.from(out.x)).toEqual([0, 1, 2, 3, 4])
  })

  it('prints how long 1,000,000 points to 2,000 buckets takes (no assertion on time)', () => {
    const big = 1_000_000
    const bx = Float64Array.from({ length: big }, (_, i) => i + 1)
    const by = Float64Array.from(noisy(big))
    const plain = Array.from(by)
    const timeIt = (label: string, run: () => unknown): void => {
      for (let i = 0; i < 3; i++) run() // warm up the JIT
      const times: number[] = []
      for (let i = 0; i < 10; i++) {
        const t = performance.now()
        run()
        times.push(performance.now() - t)
      }
      times.sort((a, b) => a - b)
      console.log(`${label}: median ${times[5].toFixed(2)} ms, min ${times[0].toFixed(2)} ms`)
    }
    timeIt('decimate 1M points, 1 column (Float64Array), 2000 buckets', () => decimateMinMax(bx, by, 1, big, 2000))
    timeIt('decimate 1M points, 1 column (number[]), 2000 buckets', () => decimateMinMax(bx, plain, 1, big, 2000))
    timeIt('decimate 1M points, 4 columns, 2000 buckets', () => decimateMinMaxMany(bx, [by, by, plain, plain], 1, big, 2000))
    timeIt('smooth 1M points (EMA, weight 0.999)', () => emaSmooth(by, 0.999))
    expect(decimateMinMax(bx, by, 1, big, 2000).x.length).toBeLessThanOrEqual(4000)
  })
})

describe('MinMaxIndex', () => {
  // Small integers, so there are many ties; a sprinkling of NaN and infinities.
  function column(n: number): number[] {
    let s = 12345
    const out: number[] = []
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648
      const r = s % 1000
      out.push(r < 5 ? NaN : r < 8 ? Infinity : r < 10 ? -Infinity : r % 37)
    }
    return out
  }
  function scan(values: number[], start: number, end: number): [number, number] {
    let lo = -1
    let hi = -1
    for (let i = start; i < end; i++) {
      const v = values[i]
      if (!Number.isFinite(v)) continue
      if (lo < 0 || v < values[lo]) lo = i
      if (hi < 0 || v > values[hi]) hi = i
    }
    return [lo, hi]
  }

  it('finds the same min and max indices as a scan, for ranges of every size, while the column grows', () => {
    const all = column(20_000)
    const values: number[] = []
    const index = new MinMaxIndex()
    const out = new Int32Array(2)
    let s = 99
    for (const chunk of [1, 15, 16, 17, 300, 5000, 14_651]) {
      values.push(...all.slice(values.length, values.length + chunk))
      index.sync(values)
      for (let q = 0; q < 300; q++) {
        s = (s * 1103515245 + 12345) % 2147483648
        const a = s % (values.length + 1)
        s = (s * 1103515245 + 12345) % 2147483648
        const b = q % 3 === 0 ? values.length : s % (values.length + 1)
        const [start, end] = [Math.min(a, b), Math.max(a, b)]
        index.query(values, start, end, out)
        expect([out[0], out[1]]).toEqual(scan(values, start, end))
      }
    }
    expect(values.length).toBe(20_000)
  })

  it('reports no min or max for a range without finite values, and starts over for another array', () => {
    const index = new MinMaxIndex()
    const out = new Int32Array(2)
    const nan = new Array(64).fill(NaN)
    index.sync(nan)
    index.query(nan, 0, 64, out)
    expect([out[0], out[1]]).toEqual([-1, -1])
    const ramp = Array.from({ length: 64 }, (_, i) => i)
    index.sync(ramp)
    index.query(ramp, 3, 60, out)
    expect([out[0], out[1]]).toEqual([3, 59])
  })

  it('makes decimation give exactly the same points as without it', () => {
    const n = 200_000
    const x = Float64Array.from({ length: n }, (_, i) => i * 2)
    const y = column(n)
    const series = new LiveSeries(0.9)
    series.sync(y)
    const rawIndex = new MinMaxIndex()
    rawIndex.sync(y)
    for (const [lo, hi, buckets] of [[0, 2 * n, 700], [1234.5, 99_999, 333], [50_000, 50_900, 100], [0, 2 * n, 1]]) {
      const plain = decimateMinMaxMany(x, [y, series.smoothedValues()], lo, hi, buckets, { pad: true })
      const fast = decimateMinMaxMany(x, [y, series.smoothedValues()], lo, hi, buckets, { pad: true, indexes: [rawIndex, series.smoothedIndex] })
      expect(fast.x).toEqual(plain.x)
      expect(fast.ys).toEqual(plain.ys)
    }
  })

  it('prints how long decimating 1,000,000 indexed points to 2,000 buckets takes (no assertion on time)', () => {
    const big = 1_000_000
    const bx = Float64Array.from({ length: big }, (_, i) => i + 1)
    const by = noisy(big)
    const t = performance.now()
    const index = new MinMaxIndex()
    index.sync(by)
    const buildMs = performance.now() - t
    const times: number[] = []
    for (let i = 0; i < 13; i++) {
      const t0 = performance.now()
      decimateMinMaxMany(bx, [by], 1, big, 2000, { indexes: [index] })
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    const t1 = performance.now()
    by.push(...noisy(300, 5))
    index.sync(by)
    const appendMs = performance.now() - t1
    console.log(`MinMaxIndex over 1M points: build ${buildMs.toFixed(1)} ms, append 300 ${appendMs.toFixed(3)} ms, decimate full range to 2000 buckets median ${times[6].toFixed(2)} ms`)
    expect(index).toBeDefined()
  })
})

describe('nearestIndex, gapsAsNull and joinDecimated', () => {
  it('finds the nearest point and -1 without points', () => {
    const x = [0, 10, 20]
    expect([nearestIndex(x, -5), nearestIndex(x, 4), nearestIndex(x, 6), nearestIndex(x, 99), nearestIndex([], 1)]).toEqual([0, 0, 1, 2, -1])
    expect(nearestIndex(x, 15, 2)).toBe(1)
  })

  it('turns NaN into null and leaves a clean column as the same array', () => {
    const clean = new Float64Array([1, 2])
    expect(gapsAsNull(clean)).toBe(clean)
    expect(gapsAsNull(new Float64Array([1, NaN, 3]))).toEqual([1, null, 3])
  })

  it('aligns groups with different x on their sorted union, null where a group has no point', () => {
    const a = { x: new Float64Array([1, 3, 5]), ys: [new Float64Array([10, 30, 50])] }
    const b = { x: new Float64Array([2, 3, 6]), ys: [new Float64Array([-2, -3, NaN]), new Float64Array([7, 8, 9])] }
    const joined = joinDecimated([a, b])
    expect(Array.from(joined.x)).toEqual([1, 2, 3, 5, 6])
    expect(joined.columns).toEqual([
      [10, null, 30, 50, null],
      [null, -2, -3, null, null],
      [null, 7, 8, null, 9]
    ])
  })
})
