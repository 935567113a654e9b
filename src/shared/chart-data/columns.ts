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
