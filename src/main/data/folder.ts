// Decodes the images of a scanned folder with several sharp pipelines in flight: sharp runs each pipeline on a
// libuv worker thread, so a few at once keep every core busy while this thread only schedules and copies.

import os from 'node:os'
import { decodeImageFile } from './decode'
import { ProgressReporter } from './progress'
import type { ScannedImage } from './scan'
import type { IngestProgress, SkippedFile } from './types'

export interface DecodedImages {
  /** count * S * S * 3 bytes, in the order of `files`. */
  rgb: Uint8Array
  count: number
  files: string[]
  /** True when every kept image has R = G = B everywhere. */
  allGrayscale: boolean
  skipped: SkippedFile[]
}

export interface DecodeOptions {
  concurrency?: number
  limit?: number
  signal?: AbortSignal
  onProgress?: (p: IngestProgress) => void
}

/**
 * Two pipelines per core, at most libuv's 4 pool threads (sharp and file reads share them; more would only queue).
 * Measured with bench/ingest.ts on the 2-core dev machine (2000 photo-like 256x192 JPEGs -> 64 px): 1 in flight
 * ~330-340 images/s on 1.0 core, 4 in flight ~480 images/s on 1.6 cores (other processes held the rest).
 */
export function defaultConcurrency(): number {
  return Math.max(2, Math.min(2 * os.availableParallelism(), 4))
}

export async function decodeImages(images: ScannedImage[], size: number, options: DecodeOptions): Promise<DecodedImages> {
  const { limit, signal } = options
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? defaultConcurrency()))
  const bytesPerImage = size * size * 3
  // The full run writes straight into one buffer (no second copy of a large data set); a limited preview
  // keeps its few images apart, because which slots are used is only known at the end.
  const all = limit === undefined ? new Uint8Array(images.length * bytesPerImage) : null
  const parts: Buffer[] = []
  const decoded = new Uint8Array(images.length) // 0: failed or not tried, 1: colour, 2: grey
  const skipped: SkippedFile[] = []
  const total = limit === undefined ? images.length : Math.min(images.length, limit)
  const progress = new ProgressReporter('decoding', options.onProgress)
  let next = 0
  let succeeded = 0
  let done = 0
  progress.update(0, total)

  const worker = async (): Promise<void> => {
    while (next < images.length && (limit === undefined || succeeded < limit)) {
      signal?.throwIfAborted()
      const index = next++
      const result = await decodeImageFile(images[index].absPath, size)
      if (result.ok) {
        succeeded++
        decoded[index] = result.grayscale ? 2 : 1
        if (all) all.set(result.rgb, index * bytesPerImage)
        else parts[index] = result.rgb
      } else {
        skipped.push({ path: images[index].relPath, reason: result.reason, detail: result.detail })
      }
      done++
      progress.update(limit === undefined ? done : Math.min(succeeded, total), total)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, images.length)) }, worker))
  signal?.throwIfAborted()

  // Keep the usable images in scan order (pipelines finish out of order), the first `limit` of them at most.
  const files: string[] = []
  let allGrayscale = true
  const kept: number[] = []
  for (let i = 0; i < images.length && kept.length < total; i++) {
    if (decoded[i] === 0) continue
    kept.push(i)
    files.push(images[i].relPath)
    if (decoded[i] === 1) allGrayscale = false
  }
  let rgb: Uint8Array
  if (all) {
    kept.forEach((from, to) => {
      if (from !== to) all.copyWithin(to * bytesPerImage, from * bytesPerImage, (from + 1) * bytesPerImage)
    })
    rgb = kept.length === images.length ? all : all.slice(0, kept.length * bytesPerImage)
  } else {
    rgb = new Uint8Array(kept.length * bytesPerImage)
    kept.forEach((from, to) => rgb.set(parts[from], to * bytesPerImage))
  }
  return { rgb, count: kept.length, files, allGrayscale, skipped }
}
