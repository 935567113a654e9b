// The nearest-image index on disk, one file per data set (by its key) in the cache folder, beside the
// prepared pixels. Layout: 8-byte magic, u32 LE header length, a JSON header, then the arrays back to back
// (mean f32, basis f64, coords f32, norms f64). Written to a temporary file and renamed, like the data cache.
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fillResiduals, type PixelIndex } from './pixel-index'

const MAGIC = Buffer.from('GANSNNI1', 'latin1')
/** Bump when the index changes meaning (another projection, another distance). */
const INDEX_VERSION = 1

interface IndexHeader {
  version: number
  datasetKey: string
  count: number
  dims: number
  components: number
  typicalDistance: number
}

export interface StoredIndex {
  index: PixelIndex
  /** The median nearest-neighbour distance between training images (RMS), computed once with the index. */
  typicalDistance: number
}

export function indexFilePath(cacheDir: string, datasetKey: string): string {
  return path.join(cacheDir, `nearest-${datasetKey.slice(0, 32)}.idx`)
}

export async function writeIndexFile(file: string, stored: StoredIndex): Promise<void> {
  const { index, typicalDistance } = stored
  const header: IndexHeader = { version: INDEX_VERSION, datasetKey: index.datasetKey, count: index.count, dims: index.dims, components: index.components, typicalDistance }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const prefix = Buffer.alloc(MAGIC.length + 4)
  MAGIC.copy(prefix)
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length)
  // The header is padded to 8 bytes so that every array after it can be read in place.
  const padding = Buffer.alloc((8 - ((prefix.length + headerBytes.length) % 8)) % 8, 0x20)
  const parts = [prefix, headerBytes, padding, ...[index.mean, index.basis, index.coords, index.norms].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]
  await fs.mkdir(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    await fs.writeFile(temp, Buffer.concat(parts))
    await fs.rename(temp, file)
  } catch (error) {
    await fs.rm(temp, { force: true })
    throw error
  }
}

/** The stored index of the data set with this key, or null when there is none (or it is stale or damaged). */
export async function readIndexFile(file: string, datasetKey: string): Promise<StoredIndex | null> {
  const bytes = await fs.readFile(file).catch(() => null)
  if (!bytes || bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null
  try {
    const headerLength = bytes.readUInt32LE(MAGIC.length)
    const header = JSON.parse(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength).toString('utf8')) as IndexHeader
    if (header.version !== INDEX_VERSION || header.datasetKey !== datasetKey) return null
    const { count, dims, components } = header
    let offset = MAGIC.length + 4 + headerLength
    offset += (8 - (offset % 8)) % 8
    // A copy, aligned, of each array: the file's buffer may start anywhere.
    const take = <T extends Float32Array | Float64Array>(make: (buffer: ArrayBuffer) => T, length: number, bytesPer: number): T => {
      const end = offset + length * bytesPer
      if (end > bytes.length) throw new Error('cut short')
      const copy = new Uint8Array(length * bytesPer)
      copy.set(bytes.subarray(offset, end))
      offset = end
      return make(copy.buffer)
    }
    const mean = take((b) => new Float32Array(b), dims, 4)
    const basis = take((b) => new Float64Array(b), components * dims, 8)
    const coords = take((b) => new Float32Array(b), count * components, 4)
    const norms = take((b) => new Float64Array(b), count, 8)
    if (offset !== bytes.length) return null
    const index: PixelIndex = { datasetKey, count, dims, components, mean, basis, coords, norms, residualLow: new Float64Array(count), residualHigh: new Float64Array(count) }
    fillResiduals(index)
    return { index, typicalDistance: header.typicalDistance }
  } catch {
    return null // garbled: rebuilt by the caller
  }
}
