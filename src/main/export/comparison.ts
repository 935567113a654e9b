// The compare screen as one picture: each run's sample grid side by side under its name, its colour and
// the iteration the grid is from, scaled up as asked, and optionally the runs' curves below.
import sharp, { type OverlayOptions } from 'sharp'
import { comparisonChartsSvg, type ChartRun } from './comparison-charts'

export interface ComparisonColumn {
  name: string
  color: string
  iteration: number
  /** The run's sample grid as PNG bytes. */
  png: Uint8Array
}

const GAP = 16
const LABEL_HEIGHT = 44
const BACKGROUND = { r: 15, g: 17, b: 21, alpha: 1 }

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
}

function label(column: ComparisonColumn, width: number): Buffer {
  const name = column.name.length > 40 ? `${column.name.slice(0, 39)}…` : column.name
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${LABEL_HEIGHT}">` +
      `<rect x="0" y="8" width="12" height="12" rx="2" fill="${column.color}"/>` +
      `<text x="18" y="19" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="14" font-weight="bold" fill="#e6e8ee">${escapeXml(name)}</text>` +
      `<text x="0" y="38" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="12" fill="#9aa3b2">iteration ${column.iteration.toLocaleString('en')}</text>` +
      `</svg>`
  )
}

export interface ComparisonOptions {
  /** Nearest-neighbour upscale of the grids (pixels stay crisp). */
  scale?: number
  /** The runs' curves, drawn below the grids. */
  charts?: ChartRun[]
  /** False when the runs' SWD figures cannot be compared (different data sets): the SWD chart says so. */
  swdComparable?: boolean
}

export async function comparisonPng(columns: ComparisonColumn[], options: ComparisonOptions = {}): Promise<Buffer> {
  const scale = options.scale ?? 1
  const grids = await Promise.all(
    columns.map(async (c) => {
      const meta = await sharp(c.png).metadata()
      const width = (meta.width ?? 0) * scale
      const height = (meta.height ?? 0) * scale
      const png = scale === 1 ? Buffer.from(c.png) : await sharp(c.png).resize(width, height, { kernel: 'nearest' }).png().toBuffer()
      return { png, width, height }
    })
  )
  const gridsWidth = grids.reduce((w, g) => w + g.width, 0) + GAP * (columns.length + 1)
  const width = options.charts ? Math.max(gridsWidth, 640) : gridsWidth
  const gridsHeight = Math.max(...grids.map((g) => g.height)) + LABEL_HEIGHT + GAP * 2
  const charts = options.charts ? comparisonChartsSvg(options.charts, width - GAP * 2, options.swdComparable) : null
  const height = gridsHeight + (charts ? charts.height + GAP : 0)
  const layers: OverlayOptions[] = []
  let x = GAP
  columns.forEach((column, i) => {
    layers.push({ input: label(column, Math.max(grids[i].width, 120)), left: x, top: GAP })
    layers.push({ input: grids[i].png, left: x, top: GAP + LABEL_HEIGHT })
    x += grids[i].width + GAP
  })
  if (charts) layers.push({ input: charts.svg, left: GAP, top: gridsHeight })
  return sharp({ create: { width, height, channels: 4, background: BACKGROUND } }).composite(layers).png().toBuffer()
}
