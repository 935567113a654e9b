// The preprocessed data set on disk: one file per (source, S, requested channels) in the caller's cache folder.
// Layout: 8-byte magic, u32 LE header length, a JSON header, the raw uint8 HWC pixels of every image, then
// (where the data set has classes) every image's label as an int32 (in memory order: little-endian on every platform Node runs on).
// The header records the fingerprint of the source contents it was made from; a different fingerprint means stale.
// Written to a temporary file and renamed, so a crash never leaves a half-written cache where a valid one is expected.

import { createHash, randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { DatasetSource } from './source'
import { describeDatasetSource } from './source'
import type { DatasetClasses, SkippedFile } from './types'

const MAGIC = Buffer.from('GANSDAT1', 'latin1')
const CHUNK_BYTES = 64 * 1024 * 1024
/**
 * Bump when decoding changes (resampling, crop, colour handling) or what a cache holds: old caches then no
 * longer match. 2: labels and classes.
 */
export const PIPELINE_VERSION = 2

export interface CacheHeader {
  pipelineVersion: number
  source: string
  fingerprint: string
  key: string
  count: number
  size: number
  channels: 1 | 3
  files: string[]
  skipped: SkippedFile[]
  /** Null: no labels follow the pixels. */
  classes: DatasetClasses | null
}

export interface CachedDataset {
  header: CacheHeader
  pixels: Uint8Array
  labels: Int32Array | null
}

/** Same source, S and requested channels -> same file, so re-processing a changed folder replaces the old cache. */
export function cacheFilePath(cacheDir: string, source: DatasetSource, size: number, channels: 1 | 3 | undefined): string {
  const described = describeDatasetSource(source)
  const hash = createHash('sha256')
    .update(JSON.stringify([described, size, channels ?? 'auto']))
    .digest('hex')
    .slice(0, 16)
  const label = (source.kind === 'builtin' ? source.name : path.basename(source.path)).replace(/[^A-Za-z0-9_-]+/g, '_')
  return path.join(cacheDir, `${label.slice(0, 40)}-${size}px-${channels ?? 'auto'}-${hash}.u8cache`)
}

/** Same key <=> same pixels and labels: the contents fingerprint, the processing, the shape and the classes. */
export function datasetKey(fingerprint: string, size: number, channels: 1 | 3, count: number, labels: Int32Array | null, classes: DatasetClasses | null): string {
  const hash = createHash('sha256').update(JSON.stringify([PIPELINE_VERSION, fingerprint, size, channels, count, classes?.names ?? null]))
  if (labels !== null) hash.update(new Uint8Array(labels.buffer, labels.byteOffset, Math.min(count, labels.length) * 4))
  return hash.digest('hex')
}

/** The cached data set if the file exists, is intact, and was made from contents with this fingerprint. */
export async function readCache(
  file: string,
  fingerprint: string,
  onLoaded?: (images: number, total: number) => void
): Promise<CachedDataset | null> {
  const handle = await fs.open(file, 'r').catch(() => null)
  if (!handle) return null
  try {
    const fileSize = (await handle.stat()).size
    const prefix = Buffer.alloc(MAGIC.length + 4)
    if ((await handle.read(prefix, 0, prefix.length, 0)).bytesRead !== prefix.length) return null
    if (!prefix.subarray(0, MAGIC.length).equals(MAGIC)) return null
    const headerLength = prefix.readUInt32LE(MAGIC.length)
    if (prefix.length + headerLength > fileSize) return null
    const headerBytes = Buffer.alloc(headerLength)
    await handle.read(headerBytes, 0, headerLength, prefix.length)
    const header = JSON.parse(headerBytes.toString('utf8')) as CacheHeader
    if (header.pipelineVersion !== PIPELINE_VERSION || header.fingerprint !== fingerprint) return null
    const imageBytes = header.size * header.size * header.channels
    const pixelBytes = header.count * imageBytes
    const labelBytes = header.classes ? header.count * 4 : 0
    const start = prefix.length + headerLength
    if (fileSize !== start + pixelBytes + labelBytes) return null
    // Read in chunks: fs.readFile stops at 2 GB, and chunks give progress on a large set.
    const pixels = new Uint8Array(pixelBytes)
    for (let offset = 0; offset < pixelBytes; ) {
      const length = Math.min(CHUNK_BYTES, pixelBytes - offset)
      const { bytesRead } = await handle.read(pixels, offset, length, start + offset)
      if (bytesRead === 0) return null
      offset += bytesRead
      onLoaded?.(Math.floor(offset / imageBytes), header.count)
    }
    let labels: Int32Array | null = null
    if (header.classes) {
      labels = new Int32Array(header.count)
      const bytes = new Uint8Array(labels.buffer)
      if ((await handle.read(bytes, 0, labelBytes, start + pixelBytes)).bytesRead !== labelBytes) return null
    }
    return { header, pixels, labels }
  } catch {
    return null // unreadable or garbled: treat as no cache and rebuild it
  } finally {
    await handle.close()
  }
}

export async function writeCache(file: string, header: CacheHeader, pixels: Uint8Array, labels: Int32Array | null): Promise<void> {
  if ((header.classes === null) !== (labels === null)) throw new Error('a cache has labels exactly when it has classes')
  await fs.mkdir(path.dirname(file), { recursive: true })
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const prefix = Buffer.alloc(MAGIC.length + 4)
  MAGIC.copy(prefix)
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length)
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  const handle = await fs.open(temp, 'w')
  try {
    await writeAll(handle, prefix)
    await writeAll(handle, headerBytes)
    await writeAll(handle, pixels)
    if (labels) await writeAll(handle, new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength))
    await handle.sync()
    await handle.close()
    await fs.rename(temp, file)
  } catch (error) {
    await handle.close().catch(() => undefined)
    await fs.rm(temp, { force: true })
    throw error
  }
}

async function writeAll(handle: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const length = Math.min(CHUNK_BYTES, bytes.length - offset)
    const { bytesWritten } = await handle.write(bytes, offset, length)
    offset += bytesWritten
  }
}
