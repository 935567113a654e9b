// Throttled progress reports with a rate and an ETA, so a 60k-image ingest does not flood the UI with events.

import type { IngestProgress } from './types'

const MIN_INTERVAL_MS = 100

export class ProgressReporter {
  private readonly started = performance.now()
  private lastEmit = -Infinity

  constructor(
    private readonly phase: IngestProgress['phase'],
    private readonly onProgress: ((p: IngestProgress) => void) | undefined
  ) {}

  /** Reports at most every 100 ms, except the first and the final report (by default: done === total). */
  update(done: number, total: number, final = done >= total): void {
    if (!this.onProgress) return
    const now = performance.now()
    if (!final && done > 0 && now - this.lastEmit < MIN_INTERVAL_MS) return
    this.lastEmit = now
    const seconds = (now - this.started) / 1000
    const imagesPerSecond = seconds > 0 ? done / seconds : 0
    const etaSeconds = final ? 0 : imagesPerSecond > 0 ? (total - done) / imagesPerSecond : null
    this.onProgress({ phase: this.phase, done, total, imagesPerSecond, etaSeconds })
  }
}
