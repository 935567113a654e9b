// What a metric chart draws, without the drawing: keeps typed copies of each series, their smoothing and
// min/max indexes up to date as points are appended (O(new points)), and turns the visible x-range into
// the few thousand points uPlot needs. Pure and DOM-free, so the chart component stays a thin uPlot wrapper.
import type uPlot from 'uplot'
import { CopiedColumn, ElapsedSecondsColumn } from '../../../../shared/chart-data/columns'
import { decimateMinMaxMany, gapsAsNull, joinDecimated, type Decimated } from '../../../../shared/chart-data/decimate'
import { LiveSeries } from '../../../../shared/chart-data/live-series'
import type { MinMaxIndex } from '../../../../shared/chart-data/min-max-index'
import { nearestIndex } from '../../../../shared/chart-data/search'

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
  /** Unix time in ms of each point; needed for the 'time' x axis (a series without it is not drawn there). */
  wallTime?: ArrayLike<number>
  y: ArrayLike<number>
}

export type XAxisKind = 'iteration' | 'time'

export interface XRange {
  min: number
  max: number
}

/** A series' point nearest to an x position. */
export interface PointValue {
  label: string
  color: string
  /** In x-axis units (iteration, or seconds since the series' first point). */
  x: number
  iteration: number
  raw: number
  smoothed: number
}

interface SeriesState {
  series: ChartSeries
  /** Typed copies of the raw values, their smoothing, and the min/max indexes that make decimation cheap. */
  live: LiveSeries
  /** The x column as drawn: a typed copy of the iterations, or seconds since the first wallTime. */
  x: Float64Array
  /** The array x comes from: series sharing it are decimated together, on one x. */
  xSource: ArrayLike<number> | null
  length: number
}

interface Group {
  x: Float64Array
  members: number[]
  length: number
}

export class ChartModel {
  private states: SeriesState[] = []
  private groups: Group[] = []
  private xColumns = new Map<ArrayLike<number>, CopiedColumn | ElapsedSecondsColumn>()
  private xAxis: XAxisKind = 'iteration'

  /** Catches up with the series: O(points added since the last sync), unless an array or the weight changed. */
  sync(series: readonly ChartSeries[], smoothing: number, xAxis: XAxisKind): void {
    if (xAxis !== this.xAxis) this.xColumns.clear()
    this.xAxis = xAxis
    // One x column per source array: the series of one run share theirs, and it is copied once.
    const xColumns = new Map<ArrayLike<number>, CopiedColumn | ElapsedSecondsColumn>()
    this.states = series.map((s, i) => {
      const live = this.states[i]?.live ?? new LiveSeries(smoothing)
      const xSource = xAxis === 'time' ? (s.wallTime ?? null) : s.iteration
      let x: Float64Array = new Float64Array(0)
      if (xSource) {
        let column = xColumns.get(xSource) ?? this.xColumns.get(xSource)
        if (!column) column = xAxis === 'time' ? new ElapsedSecondsColumn() : new CopiedColumn()
        if (!xColumns.has(xSource)) column.sync(xSource)
        xColumns.set(xSource, column)
        x = column.values()
      }
      const length = Math.min(x.length, s.y.length)
      live.sync(s.y, length, smoothing)
      return { series: s, live, x, xSource, length }
    })
    this.xColumns = xColumns

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

  /** The x-range of all points, or null when there are none. */
  extent(): XRange | null {
    let min = Infinity
    let max = -Infinity
    for (const g of this.groups) {
      min = Math.min(min, g.x[0])
      max = Math.max(max, g.x[g.length - 1])
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

  /** Each series' point nearest to x (series without points are left out). */
  valuesAt(x: number): PointValue[] {
    const out: PointValue[] = []
    for (const state of this.states) {
      const index = nearestIndex(state.x, x, state.length)
      if (index >= 0) out.push(this.point(state, index))
    }
    return out
  }

  /** Each series' last point. */
  latest(): PointValue[] {
    return this.states.filter((s) => s.length > 0).map((s) => this.point(s, s.length - 1))
  }

  private point(state: SeriesState, index: number): PointValue {
    const { label, color, iteration } = state.series
    const { live } = state
    return { label, color, x: state.x[index], iteration: iteration[index], raw: live.rawValues()[index], smoothed: live.smoothedValues()[index] }
  }
}
