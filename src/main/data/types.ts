// The shapes the data pipeline hands to the rest of the app: a prepared data set, skipped files, progress.

import type { IngestProgress, SkippedFile } from '../../shared/dataset'
import type { DatasetSource } from './source'

export type { IngestProgress, SkipReason, SkippedFile } from '../../shared/dataset'

export interface PreparedDataset {
  source: DatasetSource
  /** Hex fingerprint of (contents, size, channels, count): same key <=> same pixels. */
  key: string
  count: number
  /** Side S of the square images. */
  size: number
  channels: 1 | 3
  /** count * S * S * channels bytes, HWC per image, images consecutive. */
  pixels: Uint8Array
  skipped: SkippedFile[]
  /** Relative path per image, in pixel order (empty for built-ins). */
  files: string[]
  fromCache: boolean
}

/** What training reads of a data set: plain data, so it can be handed to a compute worker elsewhere. */
export type TrainingImages = Pick<PreparedDataset, 'count' | 'size' | 'channels' | 'pixels'>

export interface PrepareOptions {
  size: number
  /** Omit to detect: 1 when every usable image is grayscale, else 3. */
  channels?: 1 | 3
  cacheDir: string
  onProgress?: (progress: IngestProgress) => void
  signal?: AbortSignal
  /** sharp pipelines in flight at once (default: a few per core). */
  concurrency?: number
  /** Only the first N usable images, for previews: read from a full cache when there is one, never written to it. */
  limit?: number
}
