import { describe, expect, it } from 'vitest'
import { composeGrid, gridLayout, toByte } from './grid'

describe('grid layout', () => {
  // Shapes printed by torchvision 0.14.1: make_grid(torch.zeros(n, c, s, s), nrow, padding).shape
  const torchvision: [n: number, nrow: number, padding: number, size: number, height: number, width: number][] = [
    [64, 8, 2, 32, 274, 274],
    [10, 4, 3, 32, 108, 143],
    [7, 8, 2, 64, 68, 464],
    [5, 2, 0, 28, 84, 56]
  ]
  it.each(torchvision)('%i images, nrow %i, padding %i, %ipx match make_grid (%i x %i)', (n, perRow, padding, size, height, width) => {
    const layout = gridLayout(n, size, size, { perRow, padding })
    expect([layout.height, layout.width]).toEqual([height, width])
  })

  it('places image i at its row and column after the padding', () => {
    const layout = gridLayout(10, 32, 32, { perRow: 4, padding: 3 })
    expect(layout.origin(0)).toEqual({ x: 3, y: 3 })
    expect(layout.origin(5)).toEqual({ x: 3 + 35, y: 3 + 35 })
  })

  it('refuses a zero row width or negative padding with a message', () => {
    expect(() => gridLayout(4, 8, 8, { perRow: 0 })).toThrow(/images per row/)
    expect(() => gridLayout(4, 8, 8, { padding: -1 })).toThrow(/padding/)
  })
})

describe('composeGrid', () => {
  it('maps [-1, 1] to 0-255 as save_image does and fills the padding colour', () => {
    expect([toByte(-1), toByte(0), toByte(1), toByte(-2), toByte(2)]).toEqual([0, 128, 255, 0, 255])
    // Two 2x2 grayscale images: the first all -1, the second all 1.
    const images = new Float32Array([-1, -1, -1, -1, 1, 1, 1, 1])
    const { width, height, rgb } = composeGrid(images, 2, 2, 1, { perRow: 2, padding: 1, padColor: [10, 20, 30] })
    expect([width, height]).toEqual([7, 4])
    const pixel = (x: number, y: number) => Array.from(rgb.slice((y * width + x) * 3, (y * width + x) * 3 + 3))
    expect(pixel(0, 0)).toEqual([10, 20, 30])
    expect(pixel(1, 1)).toEqual([0, 0, 0])
    expect(pixel(4, 2)).toEqual([255, 255, 255])
    expect(pixel(3, 1)).toEqual([10, 20, 30])
  })

  it('upscales with nearest neighbour', () => {
    const images = new Float32Array([1, -1, -1, 1]) // one 2x2 grayscale checkerboard
    const { width, rgb } = composeGrid(images, 1, 2, 1, { padding: 0, scale: 3 })
    expect(width).toBe(6)
    const row = Array.from({ length: 6 }, (_, x) => rgb[x * 3])
    expect(row).toEqual([255, 255, 255, 0, 0, 0])
    expect(() => composeGrid(images, 1, 2, 1, { scale: 9 })).toThrow(/scale/)
  })
})
