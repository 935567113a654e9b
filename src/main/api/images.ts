// PNG data URLs for the UI: grids of training images as the model sees them.
import { composeGrid } from '../../shared/grid'
import { Random } from '../../shared/random'
import { fillImageBatch, type PreparedDataset } from '../data'
import sharp from 'sharp'

export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`
}

/** `count` images of the data set in a grid: the first ones, or a seeded random pick. */
export async function datasetGridPng(dataset: PreparedDataset, count: number, seed?: number): Promise<Buffer> {
  const n = Math.min(count, dataset.count)
  const indices =
    seed === undefined ? Array.from({ length: n }, (_, i) => i) : Array.from(new Random(seed, 'real-images').permutation(dataset.count).subarray(0, n))
  const images = fillImageBatch(dataset, indices)
  const { width, height, rgb } = composeGrid(images, n, dataset.size, dataset.channels)
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer()
}
