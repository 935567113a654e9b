// PNG data URLs for the UI: grids of training images as the model sees them.
import { composeGrid } from '../../shared/grid'
import { Random } from '../../shared/random'
import { fillImageBatch, type PreparedDataset } from '../data'
import sharp from 'sharp'

/** The first `n` images, taking the classes in turn (0, 1, 2, 0, 1, 2, ...) while each has images left. */
function firstOfEachClass(dataset: PreparedDataset, n: number): number[] {
  if (!dataset.labels || !dataset.classes) return Array.from({ length: n }, (_, i) => i)
  const byClass: number[][] = dataset.classes.names.map(() => [])
  const unlabeled: number[] = []
  dataset.labels.forEach((label, i) => (label >= 0 ? byClass[label] : unlabeled).push(i))
  const picked: number[] = []
  for (let round = 0; picked.length < n; round++) {
    const before = picked.length
    for (const images of [...byClass, unlabeled]) if (round < images.length && picked.length < n) picked.push(images[round])
    if (picked.length === before) break
  }
  return picked
}

export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`
}

/**
 * `count` images of the data set in a grid: the first ones (of each class in turn, where it has classes: a
 * folder's images come sorted by subfolder), or a seeded random pick.
 */
export async function datasetGridPng(dataset: PreparedDataset, count: number, seed?: number): Promise<Buffer> {
  const n = Math.min(count, dataset.count)
  const indices = seed === undefined ? firstOfEachClass(dataset, n) : Array.from(new Random(seed, 'real-images').permutation(dataset.count).subarray(0, n))
  const images = fillImageBatch(dataset, indices)
  const { width, height, rgb } = composeGrid(images, n, dataset.size, dataset.channels)
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer()
}
