// One metric kept chart-ready while it grows: raw copy, smoothing and min/max indexes, all O(appended).
import { CopiedColumn, GrowableColumn, type SyncResult } from './columns'
import { LEAF, MinMaxIndex } from './min-max-index'
import { EmaSmoother, clampSmoothing } from './smoothing'

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
