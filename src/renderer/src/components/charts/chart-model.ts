// What a metric chart draws, without the drawing: keeps typed copies of each series, their smoothing and
// min/max indexes up to date as points are appended (O(new points)), and turns the visible x-range into
// the few thousand points uPlot needs. Pure and DOM-free, so the chart component stays a thin uPlot wrapper.
import type uPlot from 'uplot'
import { CopiedColumn, CumulativeSecondsColumn, ElapsedSecondsColumn, runStartMs } from '../../../../shared/chart-data/columns'
import { decimateMinMaxMany, gapsAsNull, joinDecimated, type Decimated } from '../../../../shared/chart-data/decimate'
import { LiveSeries } from '../../../../shared/chart-data/live-series'
import type { MinMaxIndex } from '../../../../shared/chart-data/min-max-index'
import { lowerBound, nearestIndex, upperBound } from '../../../../shared/chart-data/search'

/**
 * A run's clock: every iteration it recorded, with when it finished and how long it took (the metrics'
 * own columns). It places a series' points on the time axes, and sets the x range: every chart of a run
 * spans the whole run, whichever iterations its own figure was recorded at.
 */
export interface RunTimeline {
  iteration: ArrayLike<number>
  /** Unix time in ms when each iteration finished. */
  wallTime: ArrayLike<number>
  /** Seconds each iteration took (training only: pauses are not in it). */
  seconds: ArrayLike<number>
}

/**
 * One line on a chart. The arrays are never changed; they may grow in place between renders (bump the
 * chart's `version`), and each new point is read once. A different array object means "new data" and is
 * read again from the start. Hold them outside Svelte's deep state ($state.raw or a plain object): a proxied array of
 * a million numbers is far too slow to read point by point.
 */
export interface ChartSeries {
  label: string
  /** Any CSS colour the canvas understands (#hex, rgb(), named). */
  color: string
  /** Iteration of each point, ascending. Series of one run share this array (the chart relies on it). */
  iteration: ArrayLike<number>
  y: ArrayLike<number>
  /**
   * The run the points belong to: needed for the time axes (a series without it is not drawn there).
   * `iteration` may be the run's own array (a point every iteration) or a sparser one (SWD).
   */
  run?: RunTimeline
}

/** A stretch of iterations marked on a chart (a training health alert), drawn as a band with a label. */
export interface ChartMark {
  /** What it marks (a health alert's kind), for tests and styles. */
  kind: string
  from: number
  /** The last iteration, or null for "until now". */
  to: number | null
  label: string
  color: string
  /** Shown on hover: what the figures were. */
  detail: string
}

/** Iterations; wall-clock time since the run started (pauses included); time spent training. */
export type XAxisKind = 'iteration' | 'wall' | 'training'

export interface XRange {
  min: number
  max: number
}

/** A point of a series. */
export interface PointValue {
  /** In x-axis units (iteration, or seconds since the run's start / of training). */
  x: number
  iteration: number
  raw: number
  smoothed: number
}

/** A series and its value at some x: null when it has no point there (it ended before, or starts after). */
export interface SeriesValue {
  label: string
  color: string
  point: PointValue | null
}

interface SeriesState {
  series: ChartSeries
  /** Typed copies of the raw values, their smoothing, and the min/max indexes that make decimation cheap. */
  live: LiveSeries
  /** The x column as drawn: the iterations, or seconds on a time axis. */
  x: Float64Array
  /** Series with the same iteration array are decimated together, on one x (null: not drawn). */
  xSource: ArrayLike<number> | null
  length: number
}

interface Group {
  x: Float64Array
  members: number[]
  length: number
}

/** A run's seconds column for a time axis, kept up to date as its timeline grows. */
class TimelineColumn {
  private readonly elapsed = new ElapsedSecondsColumn()
  private readonly training = new CumulativeSecondsColumn()

  constructor(private readonly axis: 'wall' | 'training') {}

  sync(run: RunTimeline): Float64Array {
    const length = Math.min(run.iteration.length, run.wallTime.length, run.seconds.length)
    if (this.axis === 'training') {
      this.training.sync(run.seconds, length)
      return this.training.values()
    }
    this.elapsed.startAt(runStartMs(run.wallTime, run.seconds))
    this.elapsed.sync(run.wallTime, length)
    return this.elapsed.values()
  }
}

export class ChartModel {
  private states: SeriesState[] = []
  private groups: Group[] = []
  /** Full x range of each run shown (its timeline, not only the points of this chart's figure). */
  private runRanges: XRange[] = []
  private iterationColumns = new Map<ArrayLike<number>, CopiedColumn>()
  private timelineColumns = new Map<ArrayLike<number>, TimelineColumn>()
  private xAxis: XAxisKind = 'iteration'
  /** The first run's iterations and where they lie on the time axis (null on the iteration axis). */
  private timeline: { iteration: ArrayLike<number>; x: Float64Array } | null = null

  /** Catches up with the series: O(points added since the last sync), unless an array or the weight changed. */
  sync(series: readonly ChartSeries[], smoothing: number, xAxis: XAxisKind): void {
    if (xAxis !== this.xAxis) this.timelineColumns.clear()
    this.xAxis = xAxis
    // One x column per source array: the series of one run share theirs, and it is copied once.
    const iterationColumns = new Map<ArrayLike<number>, CopiedColumn>()
    const timelineColumns = new Map<ArrayLike<number>, TimelineColumn>()
    const timelineX = new Map<ArrayLike<number>, Float64Array>()
    const runX = (run: RunTimeline): Float64Array => {
      let x = timelineX.get(run.iteration)
      if (!x) {
        const column = timelineColumns.get(run.iteration) ?? this.timelineColumns.get(run.iteration) ?? new TimelineColumn(xAxis as 'wall' | 'training')
        timelineColumns.set(run.iteration, column)
        x = column.sync(run)
        timelineX.set(run.iteration, x)
        this.timeline ??= { iteration: run.iteration, x }
      }
      return x
    }
    this.timeline = null
    const ranges = new Map<ArrayLike<number>, XRange>()

    this.states = series.map((s, i) => {
      const live = this.states[i]?.live ?? new LiveSeries(smoothing)
      let x: Float64Array = new Float64Array(0)
      let xSource: ArrayLike<number> | null = s.iteration
      if (xAxis === 'iteration') {
        let column = iterationColumns.get(s.iteration)
        if (!column) {
          column = this.iterationColumns.get(s.iteration) ?? new CopiedColumn()
          column.sync(s.iteration)
          iterationColumns.set(s.iteration, column)
        }
        x = column.values()
        if (s.run && !ranges.has(s.run.iteration)) ranges.set(s.run.iteration, iterationRange(s.run.iteration))
      } else if (s.run) {
        const seconds = runX(s.run)
        x = s.iteration === s.run.iteration ? seconds : placeOnTimeline(s.iteration, s.run.iteration, seconds)
        // Time axes start at the run's start.
        if (seconds.length > 0) ranges.set(s.run.iteration, { min: 0, max: seconds[seconds.length - 1] })
      } else {
        xSource = null
      }
      const length = Math.min(x.length, s.y.length)
      live.sync(s.y, length, smoothing)
      return { series: s, live, x, xSource, length }
    })
    this.iterationColumns = iterationColumns
    this.timelineColumns = timelineColumns
    this.runRanges = [...ranges.values()].filter((r) => r.min <= r.max)

    const byX = new Map<ArrayLike<number>, Group>()
    this.groups = []
    this.states.forEach((state, i) => {
      if (state.length === 0 || state.xSource === null) return
      let group = byX.get(state.xSource)
      if (!group) {
        group = { x: state.x, members: [], length: state.length }
        byX.set(state.xSource, group)
        this.groups.push(group)
      }
      group.members.push(i)
      group.length = Math.min(group.length, state.length)
    })
  }

  get seriesCount(): number {
    return this.states.length
  }

  /**
   * Where an iteration lies on the x axis: itself, or on a time axis the first run's time at it (its last
   * time past its last iteration); null when there is no timeline to place it on.
   */
  xOfIteration(iteration: number): number | null {
    if (this.xAxis === 'iteration') return iteration
    const t = this.timeline
    const n = t ? Math.min(t.iteration.length, t.x.length) : 0
    if (!t || n === 0) return null
    return t.x[Math.min(lowerBound(t.iteration, iteration, 0, n), n - 1)]
  }

  /** Whether any series has a point to draw. */
  hasPoints(): boolean {
    return this.groups.length > 0
  }

  /**
   * The x-range to show unzoomed, or null when nothing is drawn: all points, and all of each run's
   * timeline, so that every chart of a view (the SWD one included) spans the same range.
   */
  extent(): XRange | null {
    if (!this.hasPoints()) return null
    let min = Infinity
    let max = -Infinity
    for (const g of this.groups) {
      min = Math.min(min, g.x[0])
      max = Math.max(max, g.x[g.length - 1])
    }
    for (const r of this.runRanges) {
      min = Math.min(min, r.min)
      max = Math.max(max, r.max)
    }
    return min <= max ? { min, max } : null
  }

  /**
   * uPlot's data for a view: [x, raw of each series..., smoothed of each series...], decimated to
   * `buckets` slots over the view (plus one point beyond each edge so lines reach it). With showRaw
   * false the raw columns repeat the smoothed ones (the chart hides them) to save the work.
   */
  columns(view: XRange, buckets: number, showRaw: boolean): uPlot.AlignedData {
    const count = this.states.length
    const decimated: Decimated[] = this.groups.map((g) => {
      const ys: Float64Array[] = []
      const indexes: MinMaxIndex[] = []
      for (const i of g.members) {
        const { live } = this.states[i]
        if (showRaw) {
          ys.push(live.rawValues())
          indexes.push(live.rawIndex)
        }
        ys.push(live.smoothedValues())
        indexes.push(live.smoothedIndex)
      }
      return decimateMinMaxMany(g.x, ys, view.min, view.max, buckets, { pad: true, length: g.length, indexes })
    })

    const data: (ArrayLike<number | null> | null)[] = new Array(1 + 2 * count).fill(null)
    const place = (groupIndex: number, columns: readonly (Float64Array | (number | null)[])[]): void => {
      const perSeries = showRaw ? 2 : 1
      this.groups[groupIndex].members.forEach((seriesIndex, m) => {
        const smoothed = columns[m * perSeries + perSeries - 1]
        data[1 + seriesIndex] = showRaw ? columns[m * perSeries] : smoothed
        data[1 + count + seriesIndex] = smoothed
      })
    }
    if (decimated.length === 1) {
      data[0] = decimated[0].x
      place(0, decimated[0].ys.map(gapsAsNull))
    } else {
      const joined = joinDecimated(decimated)
      data[0] = joined.x
      let offset = 0
      decimated.forEach((d, g) => {
        place(g, joined.columns.slice(offset, offset + d.ys.length))
        offset += d.ys.length
      })
    }
    // Series with nothing to draw (no points, or no wall time on a time axis) get an all-gap column.
    const length = data[0]?.length ?? 0
    for (let i = 0; i < data.length; i++) data[i] ??= i === 0 ? new Float64Array(0) : new Array<null>(length).fill(null)
    return data as unknown as uPlot.AlignedData
  }

  /**
   * Every series' value at x: its point nearest to x, or null when x is outside the series' points (by
   * more than `tolerance`, in x units: about a few pixels), so a run that ended earlier, or a figure not
   * recorded yet, shows no value rather than its last one.
   */
  valuesAt(x: number, tolerance = 0): SeriesValue[] {
    return this.states.map((state) => {
      const { label, color } = state.series
      const n = state.length
      if (n === 0 || !(x >= state.x[0] - tolerance && x <= state.x[n - 1] + tolerance)) return { label, color, point: null }
      return { label, color, point: this.point(state, nearestIndex(state.x, x, n)) }
    })
  }

  /** Every series' last point (null for a series without points). */
  latest(): SeriesValue[] {
    return this.states.map((state) => {
      const { label, color } = state.series
      return { label, color, point: state.length > 0 ? this.point(state, state.length - 1) : null }
    })
  }

  private point(state: SeriesState, index: number): PointValue {
    const { live } = state
    return { x: state.x[index], iteration: state.series.iteration[index], raw: live.rawValues()[index], smoothed: live.smoothedValues()[index] }
  }
}

function iterationRange(iteration: ArrayLike<number>): XRange {
  return iteration.length ? { min: iteration[0], max: iteration[iteration.length - 1] } : { min: Infinity, max: -Infinity }
}

/**
 * The seconds of a sparse series' points (SWD), read from their run's timeline at their iterations. Points
 * past the timeline's last iteration are left out until it catches up (they cannot be placed yet).
 */
export function placeOnTimeline(iterations: ArrayLike<number>, runIterations: ArrayLike<number>, seconds: Float64Array): Float64Array {
  const n = Math.min(runIterations.length, seconds.length)
  if (n === 0) return new Float64Array(0)
  const count = upperBound(iterations, runIterations[n - 1])
  const x = new Float64Array(count)
  for (let i = 0; i < count; i++) x[i] = seconds[Math.min(lowerBound(runIterations, iterations[i], 0, n), n - 1)]
  return x
}
