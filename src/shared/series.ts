// Pure number crunching behind the metric charts: TensorBoard-style smoothing (batch and incremental),
// growable typed columns that follow live appends, a min/max index over them, and the min/max-per-pixel
// decimation of what is on screen. Plain or typed arrays in; nothing here knows about the DOM or uPlot.

/** TensorBoard's slider stops at 0.999: at 1 the average would never move. */
export const MAX_SMOOTHING = 0.999

/** A usable smoothing weight: NaN becomes 0, anything else is clamped to [0, MAX_SMOOTHING]. */
export function clampSmoothing(weight: number): number {
  if (!(weight > 0)) return 0
  return Math.min(weight, MAX_SMOOTHING)
}

/**
 * TensorBoard's scalar smoothing, one value at a time: a debiased exponential moving average
 * (`last = last * w + (1 - w) * value`, shown as `last / (1 - w^n)`, n = finite values seen so far).
 * A NaN or infinite value is passed through as is and leaves the average untouched, as TensorBoard does.
 */
export class EmaSmoother {
  readonly weight: number
  private last = 0
  private accumulated = 0
  // 1 - w^n rounds to exactly 1 once w^n < 2^-54; from then on Math.pow can be skipped (same result).
  private debiasDone = false

  constructor(weight: number) {
    this.weight = clampSmoothing(weight)
  }

  next(value: number): number {
    if (!Number.isFinite(value)) return value
    const w = this.weight
    this.last = this.last * w + (1 - w) * value
    this.accumulated++
    if (this.debiasDone) return this.last
    const debias = 1 - Math.pow(w, this.accumulated)
    if (debias === 1) this.debiasDone = true
    return this.last / debias
  }

  /** next() over values[from, to) into out[at...]: the same numbers, in one tight loop. */
  fill(values: ArrayLike<number>, from: number, to: number, out: Float64Array, at: number): void {
    const w = this.weight
    let last = this.last
    let accumulated = this.accumulated
    let debiasDone = this.debiasDone
    for (let i = from; i < to; i++, at++) {
      const value = values[i]
      if (!(value > -Infinity && value < Infinity)) {
        out[at] = value
        continue
      }
      last = last * w + (1 - w) * value
      accumulated++
      if (debiasDone) {
        out[at] = last
      } else {
        const debias = 1 - Math.pow(w, accumulated)
        if (debias === 1) debiasDone = true
        out[at] = last / debias
      }
    }
    this.last = last
    this.accumulated = accumulated
    this.debiasDone = debiasDone
  }
}

/**
 * A whole series smoothed exactly as TensorBoard's chart does, including its one special case: a series
 * whose values all equal the first is shown as is (so that rounding noise does not draw a wobbly flat line).
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length)
  if (isConstant(values, values.length)) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]
    return out
  }
  const smoother = new EmaSmoother(weight)
  for (let i = 0; i < values.length; i++) out[i] = smoother.next(values[i])
  return out
}

// TensorBoard's test (`every(y == first)`): a leading NaN makes a series non-constant.
function isConstant(values: ArrayLike<number>, length: number): boolean {
  for (let i = 0; i < length; i++) if (!(values[i] == values[0])) return false
  return true
}

/** A column of float64 that grows by appending, doubling its capacity so appends are amortised O(1). */
export class GrowableColumn {
  private buffer: Float64Array
  private count = 0

  constructor(capacity = 1024) {
    this.buffer = new Float64Array(Math.max(16, capacity))
  }

  get length(): number {
    return this.count
  }

  push(value: number): void {
    if (this.count === this.buffer.length) this.grow(this.count + 1)
    this.buffer[this.count++] = value
  }

  /** Makes room for `extra` more values at once (one copy instead of several while appending a batch). */
  reserve(extra: number): void {
    if (this.count + extra > this.buffer.length) this.grow(this.count + extra)
  }

  /** Appends `count` values for the caller to write: returns the storage and where they start. */
  extend(count: number): { buffer: Float64Array; at: number } {
    this.reserve(count)
    const at = this.count
    this.count += count
    return { buffer: this.buffer, at }
  }

  clear(): void {
    this.count = 0
  }

  /** The values so far, as a view on the storage (valid until the next push that grows it). */
  values(): Float64Array {
    return this.buffer.subarray(0, this.count)
  }

  private grow(needed: number): void {
    let capacity = this.buffer.length * 2
    while (capacity < needed) capacity *= 2
    const next = new Float64Array(capacity)
    next.set(this.buffer.subarray(0, this.count))
    this.buffer = next
  }
}

/** What a sync did: nothing new, new points appended, or everything recomputed. */
export type SyncResult = 'unchanged' | 'appended' | 'rebuilt'

/**
 * A float64 column derived point by point from a source array that grows in place. A different source
 * array, or a shorter one, starts over. Typed copies keep the chart's hot loops on one array kind (mixing
 * number[] and Float64Array in one loop makes V8 several times slower there).
 */
abstract class FollowingColumn {
  protected readonly column = new GrowableColumn()
  private source: ArrayLike<number> | null = null

  get length(): number {
    return this.column.length
  }

  values(): Float64Array {
    return this.column.values()
  }

  sync(source: ArrayLike<number>, length = source.length): SyncResult {
    let result: SyncResult = 'appended'
    if (source !== this.source || length < this.column.length) {
      this.column.clear()
      this.source = source
      this.restart()
      result = 'rebuilt'
    } else if (length === this.column.length) {
      return 'unchanged'
    }
    this.column.reserve(length - this.column.length)
    for (let i = this.column.length; i < length; i++) this.column.push(this.derive(source[i]))
    return result
  }

  protected restart(): void {}
  protected abstract derive(value: number): number
}

/** A float64 copy of a growing column. */
export class CopiedColumn extends FollowingColumn {
  protected derive(value: number): number {
    return value
  }
}

/**
 * Seconds since the first point, from wall-clock milliseconds, kept non-decreasing (a clock stepping
 * back, or a missing time, repeats the previous value) so that it stays a sorted x axis.
 */
export class ElapsedSecondsColumn extends FollowingColumn {
  private origin = NaN
  private previous = 0

  protected override restart(): void {
    this.origin = NaN
    this.previous = 0
  }

  protected derive(t: number): number {
    if (Number.isNaN(this.origin) && Number.isFinite(t)) this.origin = t
    const seconds = (t - this.origin) / 1000
    if (seconds > this.previous) this.previous = seconds
    return this.previous
  }
}

/**
 * One metric as a chart needs it, kept up to date while its source array grows in place: a float64 copy
 * of the raw values, their TensorBoard smoothing (equal to emaSmooth of the whole column after every
 * sync), and a MinMaxIndex of each for decimation. sync costs O(points appended). A different source
 * array, or a shorter one, starts over; a new weight redoes only the smoothing. While the values so far
 * are all equal they are shown raw (TensorBoard's constant-series rule) and smoothed once they vary.
 */
export class LiveSeries {
  readonly rawIndex = new MinMaxIndex()
  readonly smoothedIndex = new MinMaxIndex()
  private readonly raw = new CopiedColumn()
  private readonly smooth = new GrowableColumn()
  private smoother: EmaSmoother
  private constant = true

  constructor(weight: number) {
    this.smoother = new EmaSmoother(weight)
  }

  get weight(): number {
    return this.smoother.weight
  }

  get length(): number {
    return this.raw.length
  }

  rawValues(): Float64Array {
    return this.raw.values()
  }

  smoothedValues(): Float64Array {
    return this.smooth.values()
  }

  sync(source: ArrayLike<number>, length = source.length, weight = this.weight): SyncResult {
    let result = this.raw.sync(source, length)
    if (result === 'rebuilt') {
      this.rawIndex.reset()
      this.restartSmoothing(weight)
    } else if (clampSmoothing(weight) !== this.smoother.weight) {
      this.restartSmoothing(weight)
      result = 'rebuilt'
    }
    const raw = this.raw.values()
    const smoothedBefore = this.smooth.length
    this.smoothTo(raw)
    this.rawIndex.sync(raw, raw.length, this.raw)
    // Indexing a whole new smoothing costs more than one plain scan of it: while the weight is being
    // dragged, each value may be drawn once. The index catches up on the next sync (queries work meanwhile).
    if (smoothedBefore > 0 || raw.length < 4 * LEAF) this.smoothedIndex.sync(this.smooth.values(), this.smooth.length, this.smooth)
    return result
  }

  private restartSmoothing(weight: number): void {
    this.smoother = new EmaSmoother(weight)
    this.smooth.clear()
    this.smoothedIndex.reset()
    this.constant = true
  }

  private smoothTo(raw: Float64Array): void {
    const smoother = this.smoother
    const out = this.smooth
    out.reserve(raw.length - out.length)
    let i = out.length
    for (; i < raw.length && this.constant; i++) {
      const value = raw[i]
      const smoothed = smoother.next(value)
      if (!(value == raw[0])) {
        // The start was constant and shown raw; now that the series varies, TensorBoard smooths it too.
        this.constant = false
        const replay = new EmaSmoother(smoother.weight)
        const prefix = out.values()
        for (let p = 0; p < prefix.length; p++) prefix[p] = replay.next(raw[p])
        this.smoothedIndex.reset()
      }
      out.push(this.constant ? value : smoothed)
    }
    if (i < raw.length) {
      const { buffer, at } = out.extend(raw.length - i)
      smoother.fill(raw, i, raw.length, buffer, at)
    }
  }
}

/** First index in [lo, hi) whose x is >= value (hi when none); x must be sorted ascending. */
export function lowerBound(x: ArrayLike<number>, value: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (x[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index in [lo, hi) whose x is > value (hi when none); x must be sorted ascending. */
export function upperBound(x: ArrayLike<number>, value: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (x[mid] <= value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the point whose x is closest to value among the first `length` (-1 when there are none). */
export function nearestIndex(x: ArrayLike<number>, value: number, length = x.length): number {
  if (length <= 0) return -1
  const i = lowerBound(x, value, 0, length)
  if (i === 0) return 0
  if (i === length) return length - 1
  return value - x[i - 1] <= x[i] - value ? i - 1 : i
}

const LEAF_BITS = 4
const LEAF = 1 << LEAF_BITS

/** Blocks of one size: where each block's min and max are, and their values (-1 and ±Infinity: none finite). */
interface Level {
  minAt: Int32Array
  maxAt: Int32Array
  min: Float64Array
  max: Float64Array
  count: number
}

/**
 * Where the minimum and the maximum of a growing column are, for every aligned block of 16, 32, 64, ...
 * points: the min and max of any index range then take O(log n + 32) steps instead of one per point,
 * which is what keeps re-decimating a million points cheap on every append and zoom. Indices, so a
 * decimated point keeps its x; values alongside, so a query reads the small block arrays rather than
 * jumping around the column. NaN and infinite values are never a min or max; ties go to the earliest
 * point, as a plain scan would. Appending updates it in O(appended); about 5 bytes per point.
 */
export class MinMaxIndex {
  private levels: Level[] = []
  private source: unknown = null
  private covered = 0

  /** Catches up with `values` (first `length` points); another `source` (default: the array) starts over. */
  sync(values: ArrayLike<number>, length = values.length, source: unknown = values): void {
    if (source !== this.source || length < this.covered) {
      this.reset()
      this.source = source
    }
    const leaves = length >> LEAF_BITS
    if (leaves <= (this.levels[0]?.count ?? 0)) return
    const bottom = this.level(0, leaves)
    for (let b = bottom.count; b < leaves; b++) {
      let lo = -1
      let hi = -1
      let loValue = Infinity
      let hiValue = -Infinity
      for (let i = b << LEAF_BITS, end = (b + 1) << LEAF_BITS; i < end; i++) {
        const v = values[i]
        if (v < loValue && v > -Infinity) {
          loValue = v
          lo = i
        }
        if (v > hiValue && v < Infinity) {
          hiValue = v
          hi = i
        }
      }
      bottom.minAt[b] = lo
      bottom.maxAt[b] = hi
      bottom.min[b] = loValue
      bottom.max[b] = hiValue
    }
    bottom.count = leaves
    this.covered = leaves << LEAF_BITS
    // Each level holds the winners of complete pairs of the level below (the left one on a tie).
    for (let l = 1; this.levels[l - 1].count >= 2; l++) {
      const below = this.levels[l - 1]
      const want = below.count >> 1
      const level = this.level(l, want)
      for (let b = level.count; b < want; b++) {
        const left = 2 * b
        const right = left + 1
        const minFrom = below.min[right] < below.min[left] ? right : left
        const maxFrom = below.max[right] > below.max[left] ? right : left
        level.minAt[b] = below.minAt[minFrom]
        level.min[b] = below.min[minFrom]
        level.maxAt[b] = below.maxAt[maxFrom]
        level.max[b] = below.max[maxFrom]
      }
      level.count = want
    }
  }

  reset(): void {
    this.levels = []
    this.source = null
    this.covered = 0
  }

  /** Writes to out[0] and out[1] the indices of the min and the max of values[start, end) (-1: none finite). */
  query(values: ArrayLike<number>, start: number, end: number, out: Int32Array): void {
    const levels = this.levels
    let lo = -1
    let hi = -1
    let loValue = Infinity
    let hiValue = -Infinity
    // Complete leaf blocks inside the range; the points before and after them are scanned one by one.
    let first = (start + LEAF - 1) >> LEAF_BITS
    let last = Math.min(end >> LEAF_BITS, levels.length > 0 ? levels[0].count : 0)
    if (first >= last) first = last = end >> LEAF_BITS // no whole block: scan everything
    const headEnd = first < last ? first << LEAF_BITS : end
    const tailStart = first < last ? last << LEAF_BITS : end
    for (let part = 0; part < 2; part++) {
      for (let i = part === 0 ? start : tailStart, to = part === 0 ? headEnd : end; i < to; i++) {
        const v = values[i]
        // Blocks are visited out of order: on a tie the earlier index wins, as in a plain scan.
        if (v > -Infinity && v < Infinity) {
          if (v < loValue || (v === loValue && i < lo)) {
            loValue = v
            lo = i
          }
          if (v > hiValue || (v === hiValue && i < hi)) {
            hiValue = v
            hi = i
          }
        }
      }
    }
    // Bottom-up over the block levels: an odd block at either end is taken whole, the rest moves up.
    for (let l = 0; first < last; l++) {
      const level = levels[l]
      for (let side = 0; side < 2; side++) {
        let b: number
        if (side === 0) {
          if ((first & 1) === 0) continue
          b = first++
        } else {
          if ((last & 1) === 0) continue
          b = --last
        }
        const at = level.minAt[b]
        const min = level.min[b]
        if (at >= 0 && (min < loValue || (min === loValue && at < lo))) {
          loValue = min
          lo = at
        }
        const atMax = level.maxAt[b]
        const max = level.max[b]
        if (atMax >= 0 && (max > hiValue || (max === hiValue && atMax < hi))) {
          hiValue = max
          hi = atMax
        }
      }
      first >>= 1
      last >>= 1
    }
    out[0] = lo
    out[1] = hi
  }

  // Level l, with room for `blocks` blocks.
  private level(l: number, blocks: number): Level {
    if (l === this.levels.length) {
      // Powers of two, so that live appends after a bulk load do not reallocate right away.
      let size = 64
      while (size < blocks) size *= 2
      this.levels.push({ minAt: new Int32Array(size), maxAt: new Int32Array(size), min: new Float64Array(size), max: new Float64Array(size), count: 0 })
    }
    const level = this.levels[l]
    if (blocks > level.minAt.length) {
      let capacity = level.minAt.length * 2
      while (capacity < blocks) capacity *= 2
      const grow = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
        to.set(from.subarray(0, level.count))
        return to
      }
      level.minAt = grow(level.minAt, new Int32Array(capacity))
      level.maxAt = grow(level.maxAt, new Int32Array(capacity))
      level.min = grow(level.min, new Float64Array(capacity))
      level.max = grow(level.max, new Float64Array(capacity))
    }
    return level
  }
}

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
