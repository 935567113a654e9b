// `npm run bench:quality`: what DiffAugment, the generator EMA and the other losses do for a small folder.
// 500 Fashion-MNIST images (50 per class, from Debian's dataset-fashion-mnist) written as a PNG folder,
// 32 px, ngf = ndf = 32, batch 64, the same iterations and seed for every variant: plain; --augment;
// --augment --ema; --loss hinge --augment --ema; --loss wgan-gp. Prints the SWD of each (the app's metric:
// 256 generated images against 256 fixed real ones, x1e3, lower is better) and the wall time, and writes
// each variant's fixed-noise grid as a PNG to look at.
//
//   npm run bench:quality [-- --iterations N] [--out DIR] [--only name,name]
import { mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gunzip } from 'node:zlib'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { parseRunConfig, type RunConfigInput } from '../src/shared/config'
import { FASHION_MNIST_DIR } from '../src/main/data/builtin'
import { prepareDataset, type PreparedDataset } from '../src/main/data'
import { gridPng } from '../src/main/export/png'
import { QualityTracker } from '../src/main/runs/quality'
import { initBackend } from '../src/main/training/backend'
import { Trainer } from '../src/main/training/trainer'

const PER_CLASS = 50
const CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot']
const BASE: RunConfigInput = { imageSize: 32, ngf: 32, ndf: 32, batchSize: 64, seed: 999, fixedNoiseCount: 64, swdEvery: 0 }
const ALL = ['color', 'translation', 'cutout'] as const

const VARIANTS: { name: string; flags: string; config: RunConfigInput }[] = [
  { name: 'plain', flags: '(bce)', config: {} },
  { name: 'augment', flags: '--augment', config: { augment: [...ALL] } },
  { name: 'augment-ema', flags: '--augment --ema', config: { augment: [...ALL], ema: 0.999 } },
  { name: 'hinge-augment-ema', flags: '--loss hinge --augment --ema', config: { loss: 'hinge', augment: [...ALL], ema: 0.999 } },
  { name: 'wgan-gp', flags: '--loss wgan-gp', config: { loss: 'wgan-gp' } }
]

async function idx(file: string, magic: number, headerBytes: number): Promise<Uint8Array> {
  const bytes = await promisify(gunzip)(await readFile(join(FASHION_MNIST_DIR, file)))
  if (bytes.readUInt32BE(0) !== magic) throw new Error(`${file} is not an IDX file (install dataset-fashion-mnist)`)
  return new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes)
}

/** The first 50 training images of each class, as 28 px PNGs in one folder per class. */
async function writeSmallFolder(dir: string): Promise<void> {
  const images = await idx('train-images-idx3-ubyte.gz', 0x803, 16)
  const labels = await idx('train-labels-idx1-ubyte.gz', 0x801, 8)
  const taken = new Array<number>(10).fill(0)
  for (let i = 0; taken.some((n) => n < PER_CLASS); i++) {
    const label = labels[i]
    if (taken[label] >= PER_CLASS) continue
    const folder = join(dir, CLASSES[label])
    mkdirSync(folder, { recursive: true })
    const pixels = Buffer.from(images.subarray(i * 784, (i + 1) * 784))
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(folder, `${String(taken[label]).padStart(3, '0')}.png`))
    taken[label]++
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { iterations: { type: 'string' }, out: { type: 'string' }, only: { type: 'string' } } })
  const iterations = Number(values.iterations ?? 600)
  const root = join(os.tmpdir(), 'gan-studio-bench-quality')
  const out = values.out ?? join(root, 'grids')
  const folder = join(root, 'fashion-500')
  mkdirSync(out, { recursive: true })
  await writeSmallFolder(folder)
  const backend = await initBackend('auto')
  const dataset: PreparedDataset = await prepareDataset({ kind: 'folder', path: folder }, { size: 32, cacheDir: join(root, 'cache') })
  const only = values.only?.split(',')
  console.log(`bench:quality: ${dataset.count} Fashion-MNIST images (${PER_CLASS} per class), 32 px, ngf = ndf = 32, batch 64, ${iterations} iterations, seed 999`)
  console.log(`backend ${backend.detail}; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}`)
  const rows: string[][] = [['variant', 'flags', 'SWD', 'SWD 32/16 px', 'wall', 's/it', 'grid']]
  for (const variant of VARIANTS.filter((v) => !only || only.includes(v.name))) {
    const config = parseRunConfig({ ...BASE, ...variant.config, iterations })
    const trainer = new Trainer(config, dataset)
    const started = performance.now()
    for (let i = 0; i < iterations; i++) {
      await trainer.step()
      if ((i + 1) % 100 === 0) process.stdout.write(`  ${variant.name}: ${i + 1}/${iterations}\r`)
    }
    const wall = (performance.now() - started) / 1000
    const swd = await new QualityTracker(dataset, trainer).evaluate(0)
    const gridFile = join(out, `${variant.name}.png`)
    writeFileSync(gridFile, await gridPng(await trainer.renderFixedNoise(), config.fixedNoiseCount, 32, dataset.channels))
    trainer.dispose()
    rows.push([variant.name, variant.flags, swd.swd.toFixed(1), `${swd.swd_32?.toFixed(1)}/${swd.swd_16?.toFixed(1)}`, `${wall.toFixed(0)} s`, (wall / iterations).toFixed(3), gridFile])
    console.log(`  ${variant.name}: SWD ${swd.swd.toFixed(1)} in ${wall.toFixed(0)} s`)
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '))
  const plain = rows.find((r) => r[0] === 'plain')
  if (plain) for (const row of rows.slice(2)) console.log(`${row[0]}: SWD ${(Number(row[2]) / Number(plain[2])).toFixed(2)}x plain's, time ${(parseFloat(row[4]) / parseFloat(plain[4])).toFixed(2)}x`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
