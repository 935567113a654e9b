// What the chart's heading and legend say about the values shown. The heading names where the cursor is
// (or "latest"); a series whose value is from another iteration than the heading says is marked with its
// own, so a shorter run's last value or a sparse figure's nearest point never reads as the cursor's.
import type { SeriesValue, XAxisKind } from './chart-model'
import { formatDuration, formatIteration } from './format'

export interface LegendText {
  heading: string
  /** Per series, in order: '' or where its value is from ("it 60"). */
  notes: string[]
}

/** How a position on a time axis reads. */
export function timeText(xAxis: 'wall' | 'training', seconds: number): string {
  return `${formatDuration(Math.max(0, seconds))} ${xAxis === 'wall' ? 'since start' : 'of training'}`
}

/**
 * The heading and notes for `values`: those at the cursor's x (`cursor`, in x-axis units), or each
 * series' last point when `cursor` is null.
 */
export function describeValues(xAxis: XAxisKind, values: readonly SeriesValue[], cursor: number | null): LegendText {
  const points = values.map((v) => v.point).filter((p) => p !== null)
  const sameIteration = points.length > 0 && points.every((p) => p.iteration === points[0].iteration) ? points[0].iteration : null
  const sameX = points.length > 0 && points.every((p) => p.x === points[0].x)
  // The iteration the heading states, if any: series at another one get a note.
  let stated: number | null
  let heading: string
  if (cursor !== null) {
    if (xAxis === 'iteration') {
      stated = Math.round(cursor)
      heading = `iteration ${formatIteration(stated)}`
    } else {
      stated = sameIteration
      heading = timeText(xAxis, cursor) + (stated === null ? '' : ` · iteration ${formatIteration(stated)}`)
    }
  } else if (sameIteration !== null) {
    stated = sameIteration
    const at = xAxis !== 'iteration' && sameX ? `${timeText(xAxis, points[0].x)} · ` : ''
    heading = `latest: ${at}iteration ${formatIteration(stated)}`
  } else {
    stated = null
    heading = points.length > 0 ? 'latest values' : ''
  }
  const notes = values.map((v) => (v.point && v.point.iteration !== stated ? `it ${formatIteration(v.point.iteration)}` : ''))
  return { heading, notes }
}
