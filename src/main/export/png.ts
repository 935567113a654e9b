// PNG encoding of generated images and grids (sharp).
import sharp from 'sharp'
import { composeGrid, toByte, type GridOptions } from '../../shared/grid'

/** A grid of `count` generated images (NHWC floats in [-1, 1]) as PNG bytes. */
export async function gridPng(images: Float32Array, count: number, size: number, channels: 1 | 3, options: GridOptions = {}): Promise<Buffer> {
  const { width, height, rgb } = composeGrid(images, count, size, channels, options)
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer()
}

/** One generated image (index `i` of a batch) as PNG bytes, grayscale kept as one channel. */
export async function imagePng(images: Float32Array, i: number, size: number, channels: 1 | 3, scale = 1): Promise<Buffer> {
  const length = size * size * channels
  const bytes = new Uint8Array(length)
  for (let k = 0; k < length; k++) bytes[k] = toByte(images[i * length + k])
  let image = sharp(bytes, { raw: { width: size, height: size, channels } })
  if (scale > 1) image = image.resize(size * scale, size * scale, { kernel: 'nearest' })
  return image.png().toBuffer()
}
