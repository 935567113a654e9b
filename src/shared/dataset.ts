// What every side knows about a data set being prepared: progress, and the files left out and why.

export type SkipReason = 'corrupt' | 'truncated' | 'empty' | 'unsupported' | 'unreadable'

export interface SkippedFile {
  /** Relative to the data set folder, with '/' separators. */
  path: string
  reason: SkipReason
  /** What went wrong, for a tooltip or a bug report (e.g. sharp's message). */
  detail: string
}

export interface IngestProgress {
  phase: 'scanning' | 'decoding' | 'loading-cache'
  done: number
  /** While scanning the total is not known yet: it equals the number of files found so far. */
  total: number
  imagesPerSecond: number
  etaSeconds: number | null
}
