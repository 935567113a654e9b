// Image grids with torchvision's make_grid semantics: `perRow` images per row (its nrow), `padding`
// pixels around and between images, filled with `padColor`. Pure: used by the exporters and the UI.

export interface GridOptions {
  /** Images per row (torchvision's nrow). Default 8. */
  perRow?: number
  /** Pixels between and around images. Default 2. */
  padding?: number
  /** RGB 0-255 of the padding. Default black, as make_grid's pad_value 0. */
  padColor?: [number, number, number]
  /** Nearest-neighbour upscale factor 1-8 applied to the whole grid. Default 1. */
  scale?: number
}

export interface GridLayout {
  columns: number
  rows: number
  /** Grid size in pixels before scaling. */
  width: number
  height: number
  /** Top-left corner of image i. */
  origin(i: number): { x: number; y: number }
}

export function gridLayout(count: number, imageWidth: number, imageHeight: number, options: GridOptions = {}): GridLayout {
  const perRow = options.perRow ?? 8
  const padding = options.padding ?? 2
  if (!Number.isInteger(perRow) || perRow < 1) throw new Error(`images per row must be a whole number of at least 1, got ${perRow}`)
  if (!Number.isInteger(padding) || padding < 0) throw new Error(`padding must be a whole number of 0 or more, got ${padding}`)
  const columns = Math.min(perRow, count)
  const rows = Math.ceil(count / columns)
  const cellW = imageWidth + padding
  const cellH = imageHeight + padding
  return {
    columns,
    rows,
    width: columns * cellW + padding,
    height: rows * cellH + padding,
    origin: (i) => ({ x: (i % columns) * cellW + padding, y: Math.floor(i / columns) * cellH + padding })
  }
}

/** Maps a generator output in [-1, 1] to a byte, as torchvision's save_image does after normalizing. */
export function toByte(value: number): number {
  const v = Math.floor(((value + 1) / 2) * 255 + 0.5)
  return v < 0 ? 0 : v > 255 ? 255 : v
}

/**
 * Lays out `count` images (NHWC floats in [-1, 1], 1 or 3 channels) as one RGB byte image. Grayscale
 * images are repeated over the three channels, as make_grid does.
 */
export function composeGrid(
  images: Float32Array,
  count: number,
  size: number,
  channels: 1 | 3,
  options: GridOptions = {}
): { width: number; height: number; rgb: Uint8Array } {
  const layout = gridLayout(count, size, size, options)
  const scale = options.scale ?? 1
  if (!Number.isInteger(scale) || scale < 1 || scale > 8) throw new Error(`scale must be a whole number from 1 to 8, got ${scale}`)
  const [pr, pg, pb] = options.padColor ?? [0, 0, 0]
  const width = layout.width * scale
  const height = layout.height * scale
  const rgb = new Uint8Array(width * height * 3)
  for (let p = 0; p < width * height; p++) {
    rgb[p * 3] = pr
    rgb[p * 3 + 1] = pg
    rgb[p * 3 + 2] = pb
  }
  const imageLength = size * size * channels
  for (let i = 0; i < count; i++) {
    const { x: ox, y: oy } = layout.origin(i)
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const src = i * imageLength + (y * size + x) * channels
        const r = toByte(images[src])
        const g = channels === 3 ? toByte(images[src + 1]) : r
        const b = channels === 3 ? toByte(images[src + 2]) : r
        for (let sy = 0; sy < scale; sy++) {
          let dst = (((oy + y) * scale + sy) * width + (ox + x) * scale) * 3
          for (let sx = 0; sx < scale; sx++, dst += 3) {
            rgb[dst] = r
            rgb[dst + 1] = g
            rgb[dst + 2] = b
          }
        }
      }
    }
  }
  return { width, height, rgb }
}
