// What to draw of a visible x-range: min/max-per-pixel decimation, and turning the result into uPlot columns.
import { LEAF, type MinMaxIndex } from './min-max-index'
import { lowerBound, upperBound } from './search'

export interface DecimateOptions {
  /** Also keep the nearest point just outside each end of the range, so lines reach the plot's edges. */
  pad?: boolean
  /** Use only the first `length` points (default: all, capped by the shortest column). */
  length?: number
  /** A MinMaxIndex per y (or undefined), kept in step with that column: makes the cost O(buckets log n). */
  indexes?: readonly (MinMaxIndex | undefined)[]
}

export interface Decimated {
  x: Float64Array
  /** One column per input y, aligned with x; NaN where a column has no finite value. */
  ys: Float64Array[]
}

/**
 * What to draw of [xMin, xMax] at `buckets` horizontal slots (pixels). A range with at most two points
 * per slot is returned whole. Otherwise the points are cut into slots of equal x width and each slot
 * becomes two points, at the x of its first and its last point, carrying for every column that slot's
 * minimum and maximum in the order they occur: a pixel column then shows exactly the vertical extent of
 * the raw data, spikes included, and nothing is averaged. (A min sits at the slot's first x rather than
 * its own, less than a pixel away; that keeps one shared x for all columns without each column needing
 * the others' points.) Slot edges are rounded to 16 points when slots hold 64 or more, so that a
 * MinMaxIndex answers from whole blocks. x must be sorted ascending; NaN and infinite y values are never
 * a min or max. Costs O(points in range) per column, or O(buckets log n) with a MinMaxIndex.
 */
export function decimateMinMaxMany(
  x: ArrayLike<number>,
  ys: readonly ArrayLike<number>[],
  xMin: number,
  xMax: number,
  buckets: number,
  options: DecimateOptions = {}
): Decimated {
  let n = Math.min(options.length ?? x.length, x.length)
  for (const y of ys) n = Math.min(n, y.length)
  const slots = Math.max(1, Math.floor(buckets) || 1)
  const empty = (): Decimated => ({ x: new Float64Array(0), ys: ys.map(() => new Float64Array(0)) })
  if (n <= 0 || !(xMax >= xMin)) return empty()

  const first = lowerBound(x, xMin, 0, n)
  const end = upperBound(x, xMax, first, n) // exclusive
  const before = options.pad && first > 0 ? first - 1 : -1
  const after = options.pad && end < n ? end : -1
  if (end - first <= slots * 2) {
    const picks: number[] = []
    if (before >= 0) picks.push(before)
    for (let i = first; i < end; i++) picks.push(i)
    if (after >= 0) picks.push(after)
    return {
      x: Float64Array.from(picks, (i) => x[i]),
      ys: ys.map((y) => Float64Array.from(picks, (i) => finiteOrNaN(y[i])))
    }
  }

  const starts = slotStarts(x, first, end, xMin, xMax, slots)
  // Where each slot's points go in the output: two per slot, one for a slot of one point, none if empty.
  const at = new Int32Array(slots + 1)
  let m = before >= 0 ? 1 : 0
  for (let b = 0; b < slots; b++) {
    at[b] = m
    m += Math.min(2, starts[b + 1] - starts[b])
  }
  at[slots] = m
  const total = m + (after >= 0 ? 1 : 0)

  const outX = new Float64Array(total)
  if (before >= 0) outX[0] = x[before]
  for (let b = 0; b < slots; b++) {
    const size = starts[b + 1] - starts[b]
    if (size >= 1) outX[at[b]] = x[starts[b]]
    if (size >= 2) outX[at[b] + 1] = x[starts[b + 1] - 1]
  }
  if (after >= 0) outX[total - 1] = x[after]

  const found = new Int32Array(2)
  const outYs = ys.map((y, j) => {
    const out = new Float64Array(total)
    const index = options.indexes?.[j]
    if (before >= 0) out[0] = finiteOrNaN(y[before])
    for (let b = 0; b < slots; b++) {
      const s = starts[b]
      const e = starts[b + 1]
      if (e - s === 1) out[at[b]] = finiteOrNaN(y[s])
      if (e - s < 2) continue
      if (index) {
        index.query(y, s, e, found)
      } else {
        scanMinMax(y, s, e, found)
      }
      const lo = found[0]
      const hi = found[1]
      const loFirst = lo <= hi
      out[at[b]] = lo < 0 ? NaN : y[loFirst ? lo : hi]
      out[at[b] + 1] = lo < 0 ? NaN : y[loFirst ? hi : lo]
    }
    if (after >= 0) out[total - 1] = finiteOrNaN(y[after])
    return out
  })
  return { x: outX, ys: outYs }
}

/** One y column: see decimateMinMaxMany. */
export function decimateMinMax(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xMin: number,
  xMax: number,
  buckets: number,
  options: DecimateOptions = {}
): { x: Float64Array; y: Float64Array } {
  const result = decimateMinMaxMany(x, [y], xMin, xMax, buckets, options)
  return { x: result.x, y: result.ys[0] }
}

function finiteOrNaN(v: number): number {
  return v > -Infinity && v < Infinity ? v : NaN
}

// Index where each of `slots` equal x-slots of [xMin, xMax] starts (and `end` last). The probes gallop
// from the previous edge, so they stay near each other instead of missing the cache at every step of a
// bisection over a million points.
function slotStarts(x: ArrayLike<number>, first: number, end: number, xMin: number, xMax: number, slots: number): Int32Array {
  const starts = new Int32Array(slots + 1)
  const step = (xMax - xMin) / slots
  const snap = (end - first) / slots >= 4 * LEAF
  starts[0] = first
  for (let b = 1; b < slots; b++) {
    const target = xMin + b * step
    const from = starts[b - 1]
    let reach = 1
    while (from + reach < end && x[from + reach] < target) reach *= 2
    let edge = lowerBound(x, target, from + (reach >> 1), Math.min(end, from + reach))
    if (snap) edge = Math.min(end, Math.max(from, Math.round(edge / LEAF) * LEAF))
    starts[b] = edge
  }
  starts[slots] = end
  return starts
}

// Indices of the min and the max of y[start, end) into out (-1: no finite value); ties: the first.
function scanMinMax(y: ArrayLike<number>, start: number, end: number, out: Int32Array): void {
  let lo = Infinity
  let hi = -Infinity
  let loAt = -1
  let hiAt = -1
  // NaN fails both comparisons; infinities are checked only when they would win.
  for (let i = start; i < end; i++) {
    const v = y[i]
    if (v < lo && v > -Infinity) {
      lo = v
      loAt = i
    }
    if (v > hi && v < Infinity) {
      hi = v
      hiAt = i
    }
  }
  out[0] = loAt
  out[1] = hiAt
}

/** A column with its NaNs turned into nulls (the gaps uPlot understands); the same array when it has none. */
export function gapsAsNull(column: Float64Array): Float64Array | (number | null)[] {
  let i = 0
  while (i < column.length && !Number.isNaN(column[i])) i++
  if (i === column.length) return column
  const out: (number | null)[] = new Array(column.length)
  for (let m = 0; m < column.length; m++) out[m] = Number.isNaN(column[m]) ? null : column[m]
  return out
}

/**
 * Several decimated groups (each with its own x, e.g. runs with different iterations) on one shared,
 * sorted, distinct x: each group's columns get null where the group has no point.
 */
export function joinDecimated(groups: readonly Decimated[]): { x: Float64Array; columns: (number | null)[][] } {
  let total = 0
  for (const g of groups) total += g.x.length
  const all = new Float64Array(total)
  let offset = 0
  for (const g of groups) {
    all.set(g.x, offset)
    offset += g.x.length
  }
  all.sort()
  let distinct = 0
  for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[distinct - 1]) all[distinct++] = all[i]
  const x = all.slice(0, distinct)

  const columns: (number | null)[][] = []
  for (const g of groups) {
    const cols = g.ys.map(() => new Array<number | null>(distinct).fill(null))
    let p = 0
    for (let u = 0; u < distinct && p < g.x.length; u++) {
      if (g.x[p] !== x[u]) continue
      for (let j = 0; j < g.ys.length; j++) {
        const v = g.ys[j][p]
        cols[j][u] = Number.isNaN(v) ? null : v
      }
      while (p < g.x.length && g.x[p] === x[u]) p++ // a repeated x keeps its first point
    }
    columns.push(...cols)
  }
  return { x, columns }
}
