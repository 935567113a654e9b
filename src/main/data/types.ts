// The shapes the data pipeline hands to the rest of the app: a prepared data set, skipped files, progress.

import type { DatasetClasses, IngestProgress, SkippedFile } from '../../shared/dataset'
import type { DatasetSource } from './source'
import type { TrainingImages } from './training-images'

export type { TrainingImages }

export type { DatasetClasses, IngestProgress, SkipReason, SkippedFile } from '../../shared/dataset'

export interface PreparedDataset extends TrainingImages {
  source: DatasetSource
  /** Hex fingerprint of (contents, size, channels, count, labels): same key <=> same pixels and labels. */
  key: string
  /** Every image's class (see classes.ts); null when the data set has none (a folder without subfolders). */
  labels: Int32Array | null
  classes: DatasetClasses | null
  skipped: SkippedFile[]
  /** Relative path per image, in pixel order (empty for built-ins). */
  files: string[]
  fromCache: boolean
}

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
