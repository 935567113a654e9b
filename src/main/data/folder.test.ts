// prepareDataset on real folders of real image files written with sharp: formats, bad files, crop geometry,
// channel detection, the cache, and the errors a user sees.

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataError, prepareDataset, type IngestProgress, type PreparedDataset } from './index'

type Rgb = [number, number, number]
const RED: Rgb = [255, 0, 0]
const GREEN: Rgb = [0, 255, 0]
const BLUE: Rgb = [0, 0, 255]

let root: string

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gan-data-folder-'))
})
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

function solid(width: number, height: number, colour: Rgb): Buffer {
  const raw = Buffer.alloc(width * height * 3)
  for (let i = 0; i < width * height; i++) raw.set(colour, i * 3)
  return raw
}

/** Columns (or rows, when `vertical`) in three bands of colours a, b, c. */
function thirds(width: number, height: number, [a, b, c]: [Rgb, Rgb, Rgb], vertical = false): Buffer {
  const raw = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const band = vertical ? Math.floor((3 * y) / height) : Math.floor((3 * x) / width)
      raw.set([a, b, c][band], (y * width + x) * 3)
    }
  }
  return raw
}

/** Deterministic noise: photo-like JPEGs and PNGs that are large enough to cut in half. */
function noisy(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3)
  let s = 12345
  for (let i = 0; i < raw.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    raw[i] = s >>> 24
  }
  return raw
}

const rgb = (raw: Buffer, width: number, height: number) => sharp(raw, { raw: { width, height, channels: 3 } })

/** An uncompressed 10 x 10 PNG: its length depends on the size only, so a file can change without changing size. */
const storedPng = (raw: Buffer) => rgb(raw, 10, 10).png({ compressionLevel: 0, palette: false }).toBuffer()

async function write(dir: string, name: string, bytes: Buffer | Promise<Buffer>): Promise<void> {
  await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true })
  await fs.writeFile(path.join(dir, name), await bytes)
}

/** A 24-bit BMP: a real image, but not a format sharp reads. */
function bmp(width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4
  const out = Buffer.alloc(54 + rowBytes * height, 0x80)
  out.write('BM', 0, 'latin1')
  out.writeUInt32LE(out.length, 2)
  out.writeUInt32LE(54, 10)
  out.writeUInt32LE(40, 14)
  out.writeInt32LE(width, 18)
  out.writeInt32LE(height, 22)
  out.writeUInt16LE(1, 26)
  out.writeUInt16LE(24, 28)
  out.writeUInt32LE(0, 30)
  out.writeUInt32LE(rowBytes * height, 34)
  return out
}

async function writeGoodImages(dir: string): Promise<void> {
  await write(dir, 'colour/red.png', rgb(solid(40, 30, RED), 40, 30).png().toBuffer())
  await write(dir, 'colour/photo.jpeg', rgb(noisy(48, 48), 48, 48).jpeg().toBuffer())
  await write(dir, 'colour/blue.webp', rgb(solid(32, 32, BLUE), 32, 32).webp({ lossless: true }).toBuffer())
  await write(dir, 'colour/yellow.tif', rgb(solid(20, 20, [255, 255, 0]), 20, 20).tiff().toBuffer())
  await write(dir, 'colour/magenta.avif', rgb(solid(16, 16, [255, 0, 255]), 16, 16).avif().toBuffer())
  // Two frames, green then blue: only the first one counts.
  const frames = Buffer.concat([solid(20, 10, GREEN), solid(20, 10, BLUE)])
  await write(dir, 'colour/anim.gif', sharp(frames, { raw: { width: 20, height: 20, channels: 3, pageHeight: 10 } }).gif().toBuffer())
  // RGBA: the left half fully transparent (red underneath), the right half opaque blue.
  const rgba = Buffer.alloc(20 * 20 * 4)
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 20; x++) rgba.set(x < 10 ? [255, 0, 0, 0] : [0, 0, 255, 255], (y * 20 + x) * 4)
  }
  await write(dir, 'alpha.png', sharp(rgba, { raw: { width: 20, height: 20, channels: 4 } }).png().toBuffer())
  // Non-square: the outer thirds must be cropped away, leaving the red middle.
  await write(dir, 'geometry/wide.png', rgb(thirds(90, 30, [BLUE, RED, GREEN]), 90, 30).png().toBuffer())
  await write(dir, 'geometry/tall.png', rgb(thirds(30, 90, [GREEN, RED, BLUE], true), 30, 90).png().toBuffer())
}

async function writeBadFiles(dir: string): Promise<void> {
  const jpeg = await rgb(noisy(64, 64), 64, 64).jpeg().toBuffer()
  const png = await rgb(noisy(64, 64), 64, 64).png().toBuffer()
  await write(dir, 'bad/empty.jpg', Buffer.alloc(0))
  await write(dir, 'bad/half.jpg', jpeg.subarray(0, jpeg.length >> 1))
  await write(dir, 'bad/half.png', png.subarray(0, png.length >> 1))
  await write(dir, 'bad/random.png', noisy(20, 20))
  await write(dir, 'bad/bitmap.jpg', bmp(8, 8))
  await write(dir, 'bad/notes.txt', Buffer.from('not an image'))
  await write(dir, '.DS_Store', Buffer.from('finder junk'))
  await fs.symlink(path.join(dir, 'nowhere.png'), path.join(dir, 'bad/dangling.png'))
  await fs.symlink('..', path.join(dir, 'bad/loop')) // bad/loop -> the folder itself
}

function pixelAt(d: PreparedDataset, image: number, x: number, y: number): number[] {
  const at = image * d.size * d.size * d.channels + (y * d.size + x) * d.channels
  return Array.from(d.pixels.subarray(at, at + d.channels))
}

function imageOf(d: PreparedDataset, file: string): number {
  const index = d.files.indexOf(file)
  expect(index, `${file} in ${d.files.join(', ')}`).toBeGreaterThanOrEqual(0)
  return index
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  actual.forEach((v, c) => expect(Math.abs(v - expected[c]), `channel ${c}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance))
}

describe('a folder of mixed images and bad files', () => {
  let dir: string
  let cacheDir: string
  let data: PreparedDataset
  const progress: IngestProgress[] = []

  beforeAll(async () => {
    dir = path.join(root, 'mixed')
    cacheDir = path.join(root, 'cache-mixed')
    await writeGoodImages(dir)
    await writeBadFiles(dir)
    data = await prepareDataset({ kind: 'folder', path: dir }, { size: 16, cacheDir, onProgress: (p) => progress.push(p) })
  })

  it('keeps every readable image of every format, searched recursively, in path order', () => {
    expect(data.files).toEqual([
      'alpha.png',
      'colour/anim.gif',
      'colour/blue.webp',
      'colour/magenta.avif',
      'colour/photo.jpeg',
      'colour/red.png',
      'colour/yellow.tif',
      'geometry/tall.png',
      'geometry/wide.png'
    ])
    expect(data.count).toBe(9)
    expect(data.channels).toBe(3)
    expect(data.pixels.length).toBe(9 * 16 * 16 * 3)
    expect(data.fromCache).toBe(false)
    expect(data.key).toMatch(/^[0-9a-f]{64}$/)
  })

  it('lists each unusable file with its reason, and ignores hidden files and the symlink loop', () => {
    const reasons = Object.fromEntries(data.skipped.map((s) => [s.path, s.reason]))
    expect(reasons).toEqual({
      'bad/bitmap.jpg': 'corrupt',
      'bad/dangling.png': 'unreadable',
      'bad/empty.jpg': 'empty',
      'bad/half.jpg': 'truncated',
      'bad/half.png': 'truncated',
      'bad/notes.txt': 'unsupported',
      'bad/random.png': 'corrupt'
    })
    for (const skipped of data.skipped) expect(skipped.detail.length).toBeGreaterThan(0)
    expect(data.skipped.find((s) => s.path === 'bad/half.jpg')?.detail).toMatch(/^the file ends early \(sharp: /)
    expect(data.skipped.find((s) => s.path === 'bad/random.png')?.detail).toMatch(/^not a readable image \(sharp: /)
  })

  it('decodes colours right: first GIF frame, AVIF, TIFF, WebP', () => {
    expectClose(pixelAt(data, imageOf(data, 'colour/anim.gif'), 8, 8), GREEN, 0)
    expectClose(pixelAt(data, imageOf(data, 'colour/blue.webp'), 8, 8), BLUE, 0)
    expectClose(pixelAt(data, imageOf(data, 'colour/yellow.tif'), 8, 8), [255, 255, 0], 0)
    expectClose(pixelAt(data, imageOf(data, 'colour/magenta.avif'), 8, 8), [255, 0, 255], 12)
    expectClose(pixelAt(data, imageOf(data, 'colour/red.png'), 0, 15), RED, 0)
  })

  it('flattens transparency onto white', () => {
    const image = imageOf(data, 'alpha.png')
    expectClose(pixelAt(data, image, 2, 8), [255, 255, 255], 0)
    expectClose(pixelAt(data, image, 13, 8), BLUE, 0)
  })

  it('scales the short side to S and keeps the centre, for wide and tall images', () => {
    for (const file of ['geometry/wide.png', 'geometry/tall.png']) {
      const image = imageOf(data, file)
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const [r, g, b] = pixelAt(data, image, x, y)
          // lanczos3 lets a little of the cut-away thirds ring into the outermost pixels, nowhere else.
          const edge = file.includes('wide') ? x < 2 || x > 13 : y < 2 || y > 13
          if (edge) expect(r, `${file} (${x}, ${y})`).toBeGreaterThan(Math.max(g, b) + 100)
          else expectClose([r, g, b], RED, 2)
        }
      }
    }
  })

  it('reports scanning and decoding progress, ending at done = total', () => {
    const phases = new Set(progress.map((p) => p.phase))
    expect(phases).toEqual(new Set(['scanning', 'decoding']))
    const last = progress.filter((p) => p.phase === 'decoding').at(-1)!
    expect(last).toMatchObject({ done: 13, total: 13, etaSeconds: 0 })
    expect(last.imagesPerSecond).toBeGreaterThan(0)
  })

  it('loads the second time from the cache, with the same key and pixels', async () => {
    const events: IngestProgress[] = []
    const again = await prepareDataset({ kind: 'folder', path: dir }, { size: 16, cacheDir, onProgress: (p) => events.push(p) })
    expect(again.fromCache).toBe(true)
    expect(again.key).toBe(data.key)
    expect(again.files).toEqual(data.files)
    expect(again.skipped).toEqual(data.skipped)
    expect(Buffer.from(again.pixels).equals(Buffer.from(data.pixels))).toBe(true)
    expect(events.at(-1)).toMatchObject({ phase: 'loading-cache', done: 9, total: 9 })
  })

  it('honours a channel override: grey from colour by luma', async () => {
    const grey = await prepareDataset({ kind: 'folder', path: dir }, { size: 16, cacheDir, channels: 1 })
    expect(grey.channels).toBe(1)
    expect(grey.fromCache).toBe(false)
    expect(grey.key).not.toBe(data.key)
    expect(grey.pixels.length).toBe(9 * 16 * 16)
    expect(pixelAt(grey, imageOf(grey, 'colour/red.png'), 4, 4)).toEqual([76]) // 0.299 * 255
  })
})

describe('channel detection', () => {
  it('gives 1 channel when every image is grey, whatever the format stores', async () => {
    const dir = path.join(root, 'grey')
    const grey = (v: number) => sharp(Buffer.alloc(24 * 24, v), { raw: { width: 24, height: 24, channels: 1 } })
    await write(dir, 'a.png', grey(10).toColourspace('b-w').png().toBuffer())
    await write(dir, 'b.jpg', grey(128).toColourspace('b-w').jpeg().toBuffer())
    await write(dir, 'c.webp', grey(200).webp({ lossless: true }).toBuffer()) // WebP has no grey mode: stored as RGB
    const data = await prepareDataset({ kind: 'folder', path: dir }, { size: 8, cacheDir: path.join(root, 'cache-grey') })
    expect(data.channels).toBe(1)
    expect(data.pixels.length).toBe(3 * 8 * 8)
    expect([data.pixels[0], data.pixels[64], data.pixels[128]]).toEqual([10, 128, 200])

    const asColour = await prepareDataset({ kind: 'folder', path: dir }, { size: 8, cacheDir: path.join(root, 'cache-grey'), channels: 3 })
    expect(asColour.channels).toBe(3)
    expect(Array.from(asColour.pixels.subarray(64 * 3, 64 * 3 + 3))).toEqual([128, 128, 128])
  })

  it('gives 3 channels as soon as one image has colour', async () => {
    const dir = path.join(root, 'grey-and-one-colour')
    await write(dir, 'a.png', sharp(Buffer.alloc(64, 9), { raw: { width: 8, height: 8, channels: 1 } }).toColourspace('b-w').png().toBuffer())
    await write(dir, 'b.png', rgb(solid(8, 8, [10, 20, 30]), 8, 8).png().toBuffer())
    const data = await prepareDataset({ kind: 'folder', path: dir }, { size: 8, cacheDir: path.join(root, 'cache-grey2') })
    expect(data.channels).toBe(3)
    expect(Array.from(data.pixels.subarray(0, 3))).toEqual([9, 9, 9])
  })
})

describe('the cache follows the folder contents', () => {
  let dir: string
  let cacheDir: string
  const prepare = (extra: object = {}) => prepareDataset({ kind: 'folder', path: dir }, { size: 8, cacheDir, ...extra })

  beforeAll(async () => {
    dir = path.join(root, 'changing')
    cacheDir = path.join(root, 'cache-changing')
    for (const [name, colour] of [['a.png', RED], ['b.png', GREEN], ['c.png', BLUE]] as const) {
      await write(dir, name, storedPng(solid(10, 10, colour)))
    }
  })

  it('does not decode an unchanged folder again', async () => {
    const first = await prepare()
    expect(first.fromCache).toBe(false)
    // Same size and mtime but other pixels: only a decode would notice, so the cached red must come back.
    const file = path.join(dir, 'a.png')
    const { size, atime, mtime } = await fs.stat(file)
    const white = await storedPng(solid(10, 10, [255, 255, 255]))
    expect(white.length).toBe(size)
    await fs.writeFile(file, white)
    await fs.utimes(file, atime, mtime)
    const second = await prepare()
    expect(second.fromCache).toBe(true)
    expect(second.key).toBe(first.key)
    expect(pixelAt(second, 0, 0, 0)).toEqual(RED)
  })

  it('re-processes when a file is modified, added or removed, keeping one cache file', async () => {
    const file = path.join(dir, 'a.png')
    const touched = new Date(Date.now() + 5000)
    await fs.utimes(file, touched, touched)
    const modified = await prepare()
    expect(modified.fromCache).toBe(false)
    expect(pixelAt(modified, 0, 0, 0)).toEqual([255, 255, 255])

    await write(dir, 'sub/d.png', rgb(solid(10, 10, [1, 2, 3]), 10, 10).png().toBuffer())
    const added = await prepare()
    expect(added.fromCache).toBe(false)
    expect(added.count).toBe(4)
    expect(added.files).toContain('sub/d.png')
    expect(added.key).not.toBe(modified.key)
    expect((await prepare()).fromCache).toBe(true)

    await fs.rm(path.join(dir, 'b.png'))
    const removed = await prepare()
    expect(removed.fromCache).toBe(false)
    expect(removed.files).toEqual(['a.png', 'c.png', 'sub/d.png'])

    expect((await fs.readdir(cacheDir)).filter((f) => f.includes('8px-auto'))).toHaveLength(1)
    expect((await fs.readdir(cacheDir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('gives a preview of the first N images, without writing a cache', async () => {
    const previewCache = path.join(root, 'cache-preview')
    const preview = await prepareDataset({ kind: 'folder', path: dir }, { size: 8, cacheDir: previewCache, limit: 2 })
    expect(preview.count).toBe(2)
    expect(preview.files).toEqual(['a.png', 'c.png'])
    expect(preview.pixels.length).toBe(2 * 8 * 8 * 3)
    expect(preview.fromCache).toBe(false)
    await expect(fs.readdir(previewCache)).rejects.toThrow() // never created

    const fromFull = await prepare({ limit: 2 })
    expect(fromFull.fromCache).toBe(true)
    expect(fromFull.files).toEqual(['a.png', 'c.png'])
    expect(Buffer.from(fromFull.pixels).equals(Buffer.from(preview.pixels))).toBe(true)
  })

  it('rebuilds a damaged cache file instead of failing', async () => {
    const [cacheFile] = (await fs.readdir(cacheDir)).filter((f) => f.includes('8px-auto'))
    await fs.truncate(path.join(cacheDir, cacheFile), 100)
    const rebuilt = await prepare()
    expect(rebuilt.fromCache).toBe(false)
    expect(rebuilt.count).toBe(3)
    expect((await prepare()).fromCache).toBe(true)
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(prepare({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('errors a user can act on', () => {
  const prepare = (folder: string) => prepareDataset({ kind: 'folder', path: folder }, { size: 8, cacheDir: path.join(root, 'cache-errors') })

  it('names an empty folder', async () => {
    const dir = path.join(root, 'empty')
    await fs.mkdir(dir)
    await write(dir, '.hidden.png', Buffer.from('x'))
    const error = await prepare(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataError)
    expect((error as DataError).message).toBe(`No images in ${dir}: the folder is empty.`)
    expect((error as DataError).hint).toMatch(/jpg.*png/)
  })

  it('names a folder of unusable files and what was found', async () => {
    const dir = path.join(root, 'only-bad')
    await write(dir, 'a.txt', Buffer.from('text'))
    await write(dir, 'b.jpg', Buffer.alloc(0))
    await write(dir, 'c.png', noisy(10, 10))
    const error = await prepare(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataError)
    expect((error as DataError).message).toBe(
      `No usable images in ${dir}: found 3 files, none usable (1 unsupported, 1 empty, 1 corrupt; e.g. a.txt, b.jpg, c.png).`
    )
  })

  it('names a missing folder and a path that is a file', async () => {
    const missing = path.join(root, 'does-not-exist')
    await expect(prepare(missing)).rejects.toThrow(`The folder ${missing} does not exist.`)
    const file = path.join(root, 'a-file.png')
    await fs.writeFile(file, 'x')
    await expect(prepare(file)).rejects.toThrow(`${file} is a file, not a folder.`)
    await expect(prepare(file)).rejects.toBeInstanceOf(DataError)
  })

  it('rejects a size that is not a whole number of pixels', async () => {
    await expect(prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 0, cacheDir: root })).rejects.toThrow(/image size/)
  })
})
