// Ingest benchmark: how fast prepareDataset turns a folder of photo-sized JPEGs into a 64 px cache.
//
// The source images are synthetic but cost what photos cost to decode: 256 x 192 RGB JPEGs (quality 90, 4:2:0),
// each a Fashion-MNIST item (MNIST digit when the Debian files are absent) upscaled to 176 px, tinted with a
// random colour, placed at a random spot on a two-colour gradient, plus per-pixel noise so the JPEG has real
// high-frequency content (~18 KB a file, like a small web photo). They are written once per work folder and reused.
//
// Run: npx tsx bench/ingest.ts [workDir]   (prints default concurrency vs 1 and the cores actually used)

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import sharp from 'sharp'
import { Random } from '../src/shared/random'
import { prepareDataset } from '../src/main/data'
import { loadBuiltinImages, type BuiltinImages } from '../src/main/data/builtin'
import { defaultConcurrency } from '../src/main/data/folder'
import { resizeGrayImages } from '../src/main/data/resize'

const WIDTH = 256
const HEIGHT = 192
const ITEM_SIDE = 176
const QUALITY = 90
const SIZE = 64
const MARKER = 'bench-ingest.json'
const SOURCE_VERSION = 1

export interface IngestFigures {
  images: number
  seconds: number
  imagesPerSecond: number
  sourceSize: string
  concurrency: number
  /** CPU seconds of this process per wall second: ~1 means one core, ~2 means both. */
  coresUsed: number
}

export async function benchIngest(opts: { count?: number; workDir: string; concurrency?: number }): Promise<IngestFigures> {
  const count = opts.count ?? 2000
  const imageDir = await ensureSourceImages(opts.workDir, count)
  const cacheDir = path.join(opts.workDir, 'cache')
  await fs.rm(cacheDir, { recursive: true, force: true })
  const concurrency = opts.concurrency ?? defaultConcurrency()

  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const dataset = await prepareDataset({ kind: 'folder', path: imageDir }, { size: SIZE, cacheDir, concurrency })
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  if (dataset.fromCache || dataset.count !== count) {
    throw new Error(`benchmark expected ${count} freshly decoded images, got ${dataset.count} (fromCache ${dataset.fromCache})`)
  }
  return {
    images: dataset.count,
    seconds,
    imagesPerSecond: dataset.count / seconds,
    sourceSize: `${WIDTH}x${HEIGHT} JPEG q${QUALITY} -> ${SIZE}x${SIZE}x${dataset.channels}`,
    concurrency,
    coresUsed: (cpu.user + cpu.system) / 1e6 / seconds
  }
}

/** Writes the synthetic JPEGs unless the folder already holds this exact set (a marker file records it). */
async function ensureSourceImages(workDir: string, count: number): Promise<string> {
  const imageDir = path.join(workDir, 'images')
  const marker = path.join(workDir, MARKER)
  const wanted = JSON.stringify({ count, version: SOURCE_VERSION })
  if ((await fs.readFile(marker, 'utf8').catch(() => '')) === wanted) return imageDir

  await fs.rm(imageDir, { recursive: true, force: true })
  await fs.mkdir(imageDir, { recursive: true })
  const items = await sourceItems()
  const random = new Random(1234, 'bench-ingest')
  const batch = 100
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start)
    const ids = Array.from({ length: n }, (_, i) => (start + i) % items.count)
    const big = resizeGrayImages(gather(items, ids), n, items.side, ITEM_SIDE)
    const jobs: Promise<unknown>[] = []
    for (let i = 0; i < n; i++) {
      const rgb = composePhoto(big.subarray(i * ITEM_SIDE * ITEM_SIDE, (i + 1) * ITEM_SIDE * ITEM_SIDE), random)
      const file = path.join(imageDir, `photo-${String(start + i).padStart(5, '0')}.jpg`)
      jobs.push(sharp(rgb, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: QUALITY }).toFile(file))
    }
    await Promise.all(jobs)
  }
  await fs.writeFile(marker, wanted)
  return imageDir
}

async function sourceItems(): Promise<BuiltinImages> {
  return loadBuiltinImages('fashion-mnist').catch(() => loadBuiltinImages('mnist'))
}

function gather(items: BuiltinImages, ids: number[]): Uint8Array {
  const bytes = items.side * items.side
  const out = new Uint8Array(ids.length * bytes)
  ids.forEach((id, i) => out.set(items.pixels.subarray(id * bytes, (id + 1) * bytes), i * bytes))
  return out
}

function composePhoto(item: Uint8Array, random: Random): Uint8Array {
  const top = randomColour(random)
  const bottom = randomColour(random)
  const tint = randomColour(random)
  const left = random.int(WIDTH - ITEM_SIDE + 1)
  const upper = random.int(HEIGHT - ITEM_SIDE + 1)
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3)
  for (let y = 0; y < HEIGHT; y++) {
    const t = y / (HEIGHT - 1)
    for (let x = 0; x < WIDTH; x++) {
      const inside = x >= left && x < left + ITEM_SIDE && y >= upper && y < upper + ITEM_SIDE
      const alpha = inside ? item[(y - upper) * ITEM_SIDE + (x - left)] / 255 : 0
      const noise = (random.uniform() + random.uniform() - 1) * 24
      for (let c = 0; c < 3; c++) {
        const background = top[c] * (1 - t) + bottom[c] * t
        rgb[(y * WIDTH + x) * 3 + c] = Math.max(0, Math.min(255, background * (1 - alpha) + tint[c] * alpha + noise))
      }
    }
  }
  return rgb
}

function randomColour(random: Random): [number, number, number] {
  return [random.int(256), random.int(256), random.int(256)]
}

async function main(): Promise<void> {
  const workDir = process.argv[2] ?? path.join(os.tmpdir(), 'gan-studio-bench-ingest')
  console.log(`ingest benchmark in ${workDir} (${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(2)})`)
  await benchIngest({ workDir, count: 2000, concurrency: 1 }) // warm-up: writes the images, warms the page cache
  const runs = [defaultConcurrency(), 1]
  const figures: IngestFigures[] = []
  for (const concurrency of runs) {
    const f = await benchIngest({ workDir, concurrency })
    figures.push(f)
    console.log(
      `concurrency ${f.concurrency}: ${f.images} images (${f.sourceSize}) in ${f.seconds.toFixed(2)} s = ` +
        `${f.imagesPerSecond.toFixed(0)} images/s, ${f.coresUsed.toFixed(2)} cores busy`
    )
  }
  console.log(`speed-up of concurrency ${figures[0].concurrency} over 1: ${(figures[0].imagesPerSecond / figures[1].imagesPerSecond).toFixed(2)}x`)
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
