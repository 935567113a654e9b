// The compare screen as one picture: each run's sample grid side by side under its name, its colour and
// the iteration the grid is from.
import sharp, { type OverlayOptions } from 'sharp'

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

export async function comparisonPng(columns: ComparisonColumn[]): Promise<Buffer> {
  const sizes = await Promise.all(columns.map((c) => sharp(c.png).metadata()))
  const width = sizes.reduce((w, m) => w + (m.width ?? 0), 0) + GAP * (columns.length + 1)
  const height = Math.max(...sizes.map((m) => m.height ?? 0)) + LABEL_HEIGHT + GAP * 2
  const layers: OverlayOptions[] = []
  let x = GAP
  columns.forEach((column, i) => {
    const w = sizes[i].width ?? 0
    layers.push({ input: label(column, Math.max(w, 120)), left: x, top: GAP })
    layers.push({ input: Buffer.from(column.png), left: x, top: GAP + LABEL_HEIGHT })
    x += w + GAP
  })
  return sharp({ create: { width, height, channels: 4, background: BACKGROUND } }).composite(layers).png().toBuffer()
}
