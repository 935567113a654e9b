// Pure number crunching behind the metric charts: TensorBoard-style smoothing (batch and incremental),
// growable typed columns for live appends, and min/max decimation of what is on screen.
// Everything works on plain arrays or typed arrays; nothing here knows about the DOM or uPlot.

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
 * The smoothed twin of a raw column that grows in place, equal to emaSmooth of the whole column after
 * every sync. `sync` smooths only the points added since the last call (a constant start is kept raw
 * and smoothed once, when the first different value arrives); a different source array, a shorter one,
 * or a new weight start over.
 */
export class SmoothedColumn {
  /** Min/max index of the smoothed values, kept in step by sync (for decimateMinMaxMany). */
  readonly index = new MinMaxIndex()
  private smoother: EmaSmoother
  private readonly column = new GrowableColumn()
  private source: ArrayLike<number> | null = null
  private constant = true

  constructor(weight: number) {
    this.smoother = new EmaSmoother(weight)
  }

  get weight(): number {
    return this.smoother.weight
  }

  get length(): number {
    return this.column.length
  }

  values(): Float64Array {
    return this.column.values()
  }

  setWeight(weight: number): void {
    if (clampSmoothing(weight) === this.smoother.weight) return
    this.smoother = new EmaSmoother(weight)
    this.source = null
  }

  sync(source: ArrayLike<number>, length = source.length): SyncResult {
    let result: SyncResult = 'appended'
    if (source !== this.source || length < this.column.length) {
      this.smoother = new EmaSmoother(this.smoother.weight)
      this.column.clear()
      this.source = source
      this.constant = true
      result = 'rebuilt'
    } else if (length === this.column.length) {
      return 'unchanged'
    }
    this.column.reserve(length - this.column.length)
    if (result === 'rebuilt') this.index.reset()
    for (let i = this.column.length; i < length; i++) {
      const value = source[i]
      const smoothed = this.smoother.next(value)
      if (this.constant && !(value == source[0])) {
        this.constant = false
        this.smoothPrefix(source, i)
        this.index.reset()
      }
      this.column.push(this.constant ? value : smoothed)
    }
    this.index.sync(this.column.values(), this.column.length, this)
    return result
  }

  // The start was constant and shown raw; now that the series varies, TensorBoard smooths it too.
  private smoothPrefix(source: ArrayLike<number>, end: number): void {
    const replay = new EmaSmoother(this.smoother.weight)
    const values = this.column.values()
    for (let i = 0; i < end; i++) values[i] = replay.next(source[i])
  }
}

/**
 * Seconds since the first point, from wall-clock milliseconds, kept non-decreasing (a clock stepping
 * back, or a missing time, repeats the previous value) so that it stays a sorted x axis.
 */
export class ElapsedSecondsColumn {
  private readonly column = new GrowableColumn()
  private source: ArrayLike<number> | null = null
  private origin = NaN
  private previous = 0

  get length(): number {
    return this.column.length
  }

  values(): Float64Array {
    return this.column.values()
  }

  sync(wallTimeMs: ArrayLike<number>, length = wallTimeMs.length): SyncResult {
    let result: SyncResult = 'appended'
    if (wallTimeMs !== this.source || length < this.column.length) {
      this.column.clear()
      this.source = wallTimeMs
      this.origin = NaN
      this.previous = 0
      result = 'rebuilt'
    } else if (length === this.column.length) {
      return 'unchanged'
    }
    this.column.reserve(length - this.column.length)
    for (let i = this.column.length; i < length; i++) {
      const t = wallTimeMs[i]
      if (Number.isNaN(this.origin) && Number.isFinite(t)) this.origin = t
      const seconds = (t - this.origin) / 1000
      if (seconds > this.previous) this.previous = seconds
      this.column.push(this.previous)
    }
    return result
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

interface Level {
  min: Int32Array
  max: Int32Array
  count: number
}

/**
 * Where the minimum and the maximum of a growing column are, for every aligned block of 16, 32, 64, ...
 * points: the min and max of any index range then take O(log n + 32) steps instead of one per point,
 * which is what keeps re-decimating a million points cheap on every append and zoom. Indices, not values,
 * so a decimated point keeps its x. NaN and infinite values are never a min or max; ties go to the
 * earliest point (as a plain scan would). Appending updates it in O(appended); about 1 byte per point.
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
    while (this.covered + LEAF <= length) {
      let lo = -1
      let hi = -1
      for (let i = this.covered; i < this.covered + LEAF; i++) {
        const v = values[i]
        if (!(v > -Infinity && v < Infinity)) continue
        if (lo < 0 || v < values[lo]) lo = i
        if (hi < 0 || v > values[hi]) hi = i
      }
      this.push(0, lo, hi, values)
      this.covered += LEAF
    }
  }

  reset(): void {
    this.levels = []
    this.source = null
    this.covered = 0
  }

  /** Writes to out[0] and out[1] the indices of the min and the max of values[start, end) (-1: none finite). */
  query(values: ArrayLike<number>, start: number, end: number, out: Int32Array): void {
    let lo = -1
    let hi = -1
    const levels = this.levels
    let i = start
    while (i < end) {
      if ((i & (LEAF - 1)) === 0 && i + LEAF <= end && levels.length > 0 && i >> LEAF_BITS < levels[0].count) {
        // The largest complete block that starts at i and fits in the range.
        let l = 0
        while (l + 1 < levels.length) {
          const bits = LEAF_BITS + l + 1
          if ((i & ((1 << bits) - 1)) !== 0 || i + (1 << bits) > end || i >> bits >= levels[l + 1].count) break
          l++
        }
        const b = i >> (LEAF_BITS + l)
        const bl = levels[l].min[b]
        const bh = levels[l].max[b]
        if (bl >= 0 && (lo < 0 || values[bl] < values[lo])) lo = bl
        if (bh >= 0 && (hi < 0 || values[bh] > values[hi])) hi = bh
        i += LEAF << l
      } else {
        const v = values[i]
        if (v > -Infinity && v < Infinity) {
          if (lo < 0 || v < values[lo]) lo = i
          if (hi < 0 || v > values[hi]) hi = i
        }
        i++
      }
    }
    out[0] = lo
    out[1] = hi
  }

  // Adds a block at `level`; each completed pair adds their parent one level up.
  private push(level: number, lo: number, hi: number, values: ArrayLike<number>): void {
    if (level === this.levels.length) this.levels.push({ min: new Int32Array(64), max: new Int32Array(64), count: 0 })
    const l = this.levels[level]
    if (l.count === l.min.length) {
      const min = new Int32Array(l.count * 2)
      const max = new Int32Array(l.count * 2)
      min.set(l.min)
      max.set(l.max)
      l.min = min
      l.max = max
    }
    l.min[l.count] = lo
    l.max[l.count] = hi
    l.count++
    if (l.count % 2 === 1) return
    const a = l.count - 2
    const lo0 = l.min[a]
    const lo1 = l.min[a + 1]
    const hi0 = l.max[a]
    const hi1 = l.max[a + 1]
    this.push(
      level + 1,
      lo0 < 0 || (lo1 >= 0 && values[lo1] < values[lo0]) ? lo1 : lo0,
      hi0 < 0 || (hi1 >= 0 && values[hi1] > values[hi0]) ? hi1 : hi0,
      values
    )
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
  /** One column per input y, aligned with x; a NaN or infinite input value comes out as NaN. */
  ys: Float64Array[]
}

/**
 * The points of [xMin, xMax] worth drawing at `buckets` horizontal slots (pixels): the first and the
 * last point of the range, and in each slot the points holding the minimum and the maximum of every y,
 * in x order. Spikes survive (a min/max per slot is what a pixel column shows anyway); nothing is
 * averaged. A range with no more than two points per slot is returned whole. x must be sorted ascending;
 * NaN and infinite y values never become a slot's min or max. Costs O(points in range) per column, or
 * O(buckets log n) for a column with a MinMaxIndex (same result either way).
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
  if (n <= 0 || !(xMax >= xMin)) return gather(x, ys, new Int32Array(0), 0)

  const first = lowerBound(x, xMin, 0, n)
  const end = upperBound(x, xMax, first, n) // exclusive
  const picks = new Int32Array(Math.min(end - first, slots * 2 * Math.max(1, ys.length) + 2) + 2)
  let count = 0
  if (options.pad && first > 0) picks[count++] = first - 1

  if (end - first <= slots * 2) {
    for (let i = first; i < end; i++) picks[count++] = i
  } else {
    count = pickMinMax(x, ys, options.indexes ?? [], first, end, xMin, xMax, slots, picks, count)
  }

  if (options.pad && end < n) picks[count++] = end
  return gather(x, ys, picks, count)
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

// Appends to `picks` (from `count`) the sorted, distinct indices to keep from [first, end); returns the new count.
function pickMinMax(
  x: ArrayLike<number>,
  ys: readonly ArrayLike<number>[],
  indexes: readonly (MinMaxIndex | undefined)[],
  first: number,
  end: number,
  xMin: number,
  xMax: number,
  slots: number,
  picks: Int32Array,
  count: number
): number {
  // Slot boundaries by binary search: O(slots log n) instead of touching every x.
  const starts = new Int32Array(slots + 1)
  const step = (xMax - xMin) / slots
  starts[0] = first
  for (let b = 1; b < slots; b++) starts[b] = lowerBound(x, xMin + b * step, starts[b - 1], end)
  starts[slots] = end

  // Column by column, so each inner loop reads one array sequentially.
  const k = ys.length
  const minAt = new Int32Array(slots * k).fill(-1)
  const maxAt = new Int32Array(slots * k).fill(-1)
  const found = new Int32Array(2)
  for (let j = 0; j < k; j++) {
    const y = ys[j]
    const index = indexes[j]
    if (index) {
      for (let b = 0; b < slots; b++) {
        index.query(y, starts[b], starts[b + 1], found)
        minAt[b * k + j] = found[0]
        maxAt[b * k + j] = found[1]
      }
      continue
    }
    for (let b = 0; b < slots; b++) {
      let lo = Infinity
      let hi = -Infinity
      let loAt = -1
      let hiAt = -1
      // NaN fails both comparisons; infinities are checked only when they would win.
      for (let i = starts[b], stop = starts[b + 1]; i < stop; i++) {
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
      minAt[b * k + j] = loAt
      maxAt[b * k + j] = hiAt
    }
  }

  picks[count++] = first
  const slot = new Int32Array(2 * k)
  for (let b = 0; b < slots; b++) {
    let m = 0
    for (let j = 0; j < k; j++) {
      const lo = minAt[b * k + j]
      const hi = maxAt[b * k + j]
      if (lo >= 0) slot[m++] = lo
      if (hi >= 0 && hi !== lo) slot[m++] = hi
    }
    // Insertion sort: a slot holds at most 2k indices.
    for (let a = 1; a < m; a++) {
      const v = slot[a]
      let c = a - 1
      while (c >= 0 && slot[c] > v) {
        slot[c + 1] = slot[c]
        c--
      }
      slot[c + 1] = v
    }
    for (let a = 0; a < m; a++) if (slot[a] !== picks[count - 1]) picks[count++] = slot[a]
  }
  if (picks[count - 1] !== end - 1) picks[count++] = end - 1
  return count
}

function gather(x: ArrayLike<number>, ys: readonly ArrayLike<number>[], picks: Int32Array, count: number): Decimated {
  const outX = new Float64Array(count)
  for (let m = 0; m < count; m++) outX[m] = x[picks[m]]
  const outYs = ys.map((y) => {
    const out = new Float64Array(count)
    for (let m = 0; m < count; m++) {
      const v = y[picks[m]]
      out[m] = v > -Infinity && v < Infinity ? v : NaN
    }
    return out
  })
  return { x: outX, ys: outYs }
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
