// prepareDataset: source -> S x S uint8 pixels, from the cache when the source is unchanged, else decoded and cached.

import { builtinFingerprint, loadBuiltinImages } from './builtin'
import { cacheFilePath, datasetKey, readCache, writeCache, PIPELINE_VERSION, type CachedDataset } from './cache'
import { folderLabels, summarizeClasses } from './classes'
import { DataError } from './errors'
import { decodeImages } from './folder'
import { ProgressReporter } from './progress'
import { grayToRgb, resizeGrayImages, rgbToGray } from './resize'
import { IMAGE_EXTENSIONS, scanFolder } from './scan'
import { describeDatasetSource, type BuiltinName, type DatasetSource } from './source'
import type { PreparedDataset, PrepareOptions, SkippedFile, SkipReason } from './types'

const MAX_SIZE = 2048
const BUILTIN_CHUNK = 2000 // images per resize step: progress and abort checks in between

export async function prepareDataset(source: DatasetSource, options: PrepareOptions): Promise<PreparedDataset> {
  checkOptions(options)
  const cacheFile = cacheFilePath(options.cacheDir, source, options.size, options.channels)
  return source.kind === 'folder'
    ? prepareFolder(source, source.path, cacheFile, options)
    : prepareBuiltin(source, source.name, cacheFile, options)
}

async function prepareFolder(
  source: DatasetSource,
  folder: string,
  cacheFile: string,
  options: PrepareOptions
): Promise<PreparedDataset> {
  const { size, signal, limit } = options
  const scan = await scanFolder(folder, { signal, onProgress: options.onProgress, excludeDir: options.cacheDir })
  if (scan.images.length === 0) throw noUsableImages(folder, scan.skipped)

  const cached = await loadCache(cacheFile, scan.fingerprint, options)
  if (cached) return fromCache(source, cached, limit)

  const decoded = await decodeImages(scan.images, size, options)
  const skipped = [...scan.skipped, ...decoded.skipped].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  if (decoded.count === 0) throw noUsableImages(folder, skipped)
  const channels = options.channels ?? (decoded.allGrayscale ? 1 : 3)
  const pixels = channels === 1 ? rgbToGray(decoded.rgb) : decoded.rgb
  const labelled = folderLabels(decoded.files, scan.subfolders)
  const labels = labelled?.labels ?? null
  const classes = labelled?.classes ?? null
  const prepared: PreparedDataset = {
    source,
    key: datasetKey(scan.fingerprint, size, channels, decoded.count, labels, classes),
    count: decoded.count,
    size,
    channels,
    pixels,
    labels,
    classes,
    skipped,
    files: decoded.files,
    fromCache: false
  }
  if (limit === undefined) await saveCache(cacheFile, scan.fingerprint, prepared, signal)
  return prepared
}

async function prepareBuiltin(
  source: DatasetSource,
  name: BuiltinName,
  cacheFile: string,
  options: PrepareOptions
): Promise<PreparedDataset> {
  const { size, signal, limit } = options
  const fingerprint = await builtinFingerprint(name)
  const cached = await loadCache(cacheFile, fingerprint, options)
  if (cached) return fromCache(source, cached, limit)

  const raw = await loadBuiltinImages(name)
  const count = limit === undefined ? raw.count : Math.min(limit, raw.count)
  const progress = new ProgressReporter('decoding', options.onProgress)
  const gray = new Uint8Array(count * size * size)
  for (let start = 0; start < count; start += BUILTIN_CHUNK) {
    signal?.throwIfAborted()
    progress.update(start, count)
    const n = Math.min(BUILTIN_CHUNK, count - start)
    const chunk = raw.pixels.subarray(start * raw.side * raw.side, (start + n) * raw.side * raw.side)
    gray.set(resizeGrayImages(chunk, n, raw.side, size), start * size * size)
    await new Promise((resolve) => setImmediate(resolve)) // let progress events and aborts through
  }
  progress.update(count, count)
  const channels = options.channels ?? 1
  const labels = raw.labels.slice(0, count)
  const classes = summarizeClasses(labels, raw.classNames, 'builtin')
  const prepared: PreparedDataset = {
    source,
    key: datasetKey(fingerprint, size, channels, count, labels, classes),
    count,
    size,
    channels,
    pixels: channels === 3 ? grayToRgb(gray) : gray,
    labels,
    classes,
    skipped: [],
    files: [],
    fromCache: false
  }
  if (limit === undefined) await saveCache(cacheFile, fingerprint, prepared, signal)
  return prepared
}

async function loadCache(file: string, fingerprint: string, options: PrepareOptions): Promise<CachedDataset | null> {
  const progress = new ProgressReporter('loading-cache', options.onProgress)
  const cached = await readCache(file, fingerprint, (done, total) => progress.update(done, total))
  options.signal?.throwIfAborted()
  return cached
}

async function saveCache(file: string, fingerprint: string, data: PreparedDataset, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted()
  const { key, count, size, channels, files, skipped, pixels, labels, classes } = data
  const source = describeDatasetSource(data.source)
  await writeCache(file, { pipelineVersion: PIPELINE_VERSION, source, fingerprint, key, count, size, channels, files, skipped, classes }, pixels, labels)
}

/** A full cache also serves a limited preview: its first `limit` images. */
function fromCache(source: DatasetSource, cached: CachedDataset, limit: number | undefined): PreparedDataset {
  const { header, pixels } = cached
  const count = limit === undefined ? header.count : Math.min(limit, header.count)
  const imageBytes = header.size * header.size * header.channels
  const whole = count === header.count
  const labels = cached.labels === null || whole ? cached.labels : cached.labels.slice(0, count)
  // A preview's classes count the images it holds; the full set's are in the header.
  const classes = header.classes === null || whole || labels === null ? header.classes : summarizeClasses(labels, header.classes.names, header.classes.from)
  return {
    source,
    key: whole ? header.key : datasetKey(header.fingerprint, header.size, header.channels, count, labels, classes),
    count,
    size: header.size,
    channels: header.channels,
    pixels: whole ? pixels : pixels.slice(0, count * imageBytes),
    labels,
    classes,
    skipped: header.skipped,
    files: header.files.slice(0, count),
    fromCache: true
  }
}

function checkOptions(options: PrepareOptions): void {
  const { size, channels, limit, concurrency } = options
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) {
    throw new DataError(`The image size must be a whole number of pixels from 1 to ${MAX_SIZE} (got ${size}).`)
  }
  if (channels !== undefined && channels !== 1 && channels !== 3) {
    throw new DataError(`Channels must be 1 (grey) or 3 (colour), got ${String(channels)}.`)
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new DataError(`The preview limit must be a positive whole number (got ${limit}).`)
  }
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new DataError(`Concurrency must be a positive whole number (got ${concurrency}).`)
  }
  if (!options.cacheDir) throw new DataError('No cache folder given for the preprocessed data set.')
}

function noUsableImages(folder: string, skipped: SkippedFile[]): DataError {
  const formats = IMAGE_EXTENSIONS.join(', ')
  if (skipped.length === 0) {
    return new DataError(`No images in ${folder}: the folder is empty.`, {
      hint: `Pick a folder with images (${formats}); subfolders are searched too.`
    })
  }
  const byReason = new Map<SkipReason, number>()
  for (const file of skipped) byReason.set(file.reason, (byReason.get(file.reason) ?? 0) + 1)
  const summary = [...byReason].map(([reason, n]) => `${n} ${reason}`).join(', ')
  const examples = skipped.slice(0, 3).map((f) => f.path).join(', ')
  const noun = skipped.length === 1 ? 'file' : 'files'
  return new DataError(
    `No usable images in ${folder}: found ${skipped.length} ${noun}, none usable (${summary}; e.g. ${examples}).`,
    { hint: `Supported image formats: ${formats}.` }
  )
}
