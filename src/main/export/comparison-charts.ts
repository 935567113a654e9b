// The compare screen's curves for the comparison picture: one small chart per figure, every run in its
// colour, drawn as SVG (rasterised with the grids by sharp). Losses are smoothed as the screen does by
// default, and each chart says so.
import { emaSmooth } from '../../shared/chart-data/smoothing'
import type { MetricSeries, ScalarSeries } from '../../shared/runs'

export interface ChartRun {
  name: string
  color: string
  metrics: MetricSeries
  swd: ScalarSeries | undefined
}

/** The screen's default smoothing (TensorBoard's EMA weight). */
const SMOOTHING = 0.6
/** Points drawn per run and chart: more than the chart has pixels would only add bytes. */
const MAX_POINTS = 400
const CHART_HEIGHT = 180
const MARGIN = { left: 52, right: 12, top: 26, bottom: 24 }
const FONT = 'font-family="DejaVu Sans, Liberation Sans, sans-serif"'

interface Figure {
  title: string
  points: (run: ChartRun) => { x: ArrayLike<number>; y: ArrayLike<number> }
}

const FIGURES: Figure[] = [
  { title: `Loss_D (smoothed ${SMOOTHING})`, points: (r) => ({ x: r.metrics.iteration, y: emaSmooth(r.metrics.lossD, SMOOTHING) }) },
  { title: `Loss_G (smoothed ${SMOOTHING})`, points: (r) => ({ x: r.metrics.iteration, y: emaSmooth(r.metrics.lossG, SMOOTHING) }) },
  { title: `D(x) (smoothed ${SMOOTHING})`, points: (r) => ({ x: r.metrics.iteration, y: emaSmooth(r.metrics.dReal, SMOOTHING) }) },
  { title: `D(G(z)) before the D step (smoothed ${SMOOTHING})`, points: (r) => ({ x: r.metrics.iteration, y: emaSmooth(r.metrics.dFakeBefore, SMOOTHING) }) },
  { title: 'SWD (lower is better)', points: (r) => ({ x: r.swd?.iteration ?? [], y: r.swd?.value ?? [] }) }
]
const SWD_APART = 'SWD, each against its own data set: not comparable across these runs'

function label(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en')
  if (magnitude >= 10) return value.toFixed(0)
  return value.toFixed(2)
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
}

/** Evenly spaced points of a series (always its last one), finite values only. */
function thin(x: ArrayLike<number>, y: ArrayLike<number>): [number, number][] {
  const n = Math.min(x.length, y.length)
  const stride = Math.max(1, Math.ceil(n / MAX_POINTS))
  const out: [number, number][] = []
  for (let i = 0; i < n; i += stride) if (Number.isFinite(y[i])) out.push([x[i], y[i]])
  if (n > 0 && (n - 1) % stride !== 0 && Number.isFinite(y[n - 1])) out.push([x[n - 1], y[n - 1]])
  return out
}

function chart(figure: Figure, runs: ChartRun[], width: number, top: number): string {
  const lines = runs.map((run) => ({ color: run.color, points: (({ x, y }) => thin(x, y))(figure.points(run)) }))
  const all = lines.flatMap((l) => l.points)
  const plotW = width - MARGIN.left - MARGIN.right
  const plotH = CHART_HEIGHT - MARGIN.top - MARGIN.bottom
  const parts = [`<text x="${MARGIN.left}" y="${top + 16}" ${FONT} font-size="13" font-weight="bold" fill="#e6e8ee">${escapeXml(figure.title)}</text>`]
  parts.push(`<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#2d3340"/>`)
  if (all.length === 0) {
    parts.push(`<text x="${MARGIN.left + 8}" y="${top + MARGIN.top + plotH / 2}" ${FONT} font-size="12" fill="#9aa3b2">no values recorded</text>`)
    return parts.join('')
  }
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => p[1])
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)]
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)]
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5]
  const px = (x: number) => MARGIN.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW)
  const py = (y: number) => top + MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH
  const axis = (text: string, x: number, y: number, anchor: string) => `<text x="${x}" y="${y}" ${FONT} font-size="11" fill="#9aa3b2" text-anchor="${anchor}">${text}</text>`
  parts.push(axis(label(y1), MARGIN.left - 6, top + MARGIN.top + 10, 'end'), axis(label(y0), MARGIN.left - 6, top + MARGIN.top + plotH, 'end'))
  parts.push(axis(`iteration ${x0.toLocaleString('en')}`, MARGIN.left, top + CHART_HEIGHT - 6, 'start'), axis(x1.toLocaleString('en'), width - MARGIN.right, top + CHART_HEIGHT - 6, 'end'))
  for (const line of lines) {
    if (line.points.length === 1) {
      const [x, y] = line.points[0]
      parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${line.color}"/>`)
    } else if (line.points.length > 1) {
      const d = line.points.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)} ${py(y).toFixed(1)}`).join('')
      parts.push(`<path d="${d}" fill="none" stroke="${line.color}" stroke-width="1.5"/>`)
    }
  }
  return parts.join('')
}

/**
 * The charts as an SVG `width` wide, two per row; its height follows. With `swdComparable` false (runs on
 * different data sets) the SWD chart's title says its figures cannot be compared.
 */
export function comparisonChartsSvg(runs: ChartRun[], width: number, swdComparable = true): { svg: Buffer; height: number } {
  const perRow = width >= 700 ? 2 : 1
  const chartWidth = Math.floor(width / perRow)
  const rows = Math.ceil(FIGURES.length / perRow)
  const height = rows * CHART_HEIGHT
  const figures = FIGURES.map((f, i) => (i === FIGURES.length - 1 && !swdComparable ? { ...f, title: SWD_APART } : f))
  const charts = figures.map((figure, i) => {
    const x = (i % perRow) * chartWidth
    const y = Math.floor(i / perRow) * CHART_HEIGHT
    return `<g transform="translate(${x} 0)">${chart(figure, runs, chartWidth, y)}</g>`
  })
  return { svg: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${charts.join('')}</svg>`), height }
}
