// Growable float64 columns, and columns derived point by point from a source array that grows in place.

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
export abstract class FollowingColumn {
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

  /** Makes the next sync start over (something the values depend on, other than the source, changed). */
  protected forget(): void {
    this.source = null
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
 * Seconds since an origin, from wall-clock milliseconds, kept non-decreasing (a clock stepping back, or a
 * missing time, repeats the previous value) so that it stays a sorted x axis. The origin is the first
 * point unless set with startAt.
 */
export class ElapsedSecondsColumn extends FollowingColumn {
  private fixedOrigin = NaN
  private origin = NaN
  private previous = 0

  /** Counts from `originMs` (NaN: from the first point); a different origin recomputes the column. */
  startAt(originMs: number): void {
    if (Object.is(originMs, this.fixedOrigin)) return
    this.fixedOrigin = originMs
    this.forget()
  }

  protected override restart(): void {
    this.origin = this.fixedOrigin
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
 * Running total of per-iteration seconds: the training time at the end of each iteration, pauses and
 * time the app was closed left out. A missing or negative duration adds nothing.
 */
export class CumulativeSecondsColumn extends FollowingColumn {
  private total = 0

  protected override restart(): void {
    this.total = 0
  }

  protected derive(seconds: number): number {
    if (seconds > 0 && Number.isFinite(seconds)) this.total += seconds
    return this.total
  }
}

/**
 * When a run started, in Unix ms: when its first recorded iteration began (that iteration's wall time,
 * which is when it finished, less its duration). Every chart of the run counts wall time from here, so
 * a figure first recorded later (SWD) lines up with the losses. NaN before the first iteration.
 */
export function runStartMs(wallTime: ArrayLike<number>, seconds: ArrayLike<number>): number {
  if (wallTime.length === 0 || !Number.isFinite(wallTime[0])) return Number.NaN
  const first = seconds.length > 0 ? seconds[0] : 0
  return wallTime[0] - (first > 0 && Number.isFinite(first) ? first * 1000 : 0)
}
