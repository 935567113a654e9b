// Terminal output: a progress bar and a status line that rewrites itself.
export { formatDuration, formatRate } from '../../shared/format'

export function progressBar(done: number, total: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0
  const filled = Math.round(fraction * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** A line that rewrites itself on a terminal and prints at most every few seconds elsewhere (logs, CI). */
export class StatusLine {
  private lastPrinted = 0
  private shown = false

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly logIntervalMs = 5000
  ) {}

  update(text: string, force = false): void {
    if (this.stream.isTTY) {
      const width = this.stream.columns ?? 120
      this.stream.write(`\r${text.slice(0, width - 1).padEnd(Math.min(width - 1, text.length))}\x1b[K`)
      this.shown = true
      return
    }
    const now = Date.now()
    if (force || now - this.lastPrinted >= this.logIntervalMs) {
      this.stream.write(`${text}\n`)
      this.lastPrinted = now
    }
  }

  /** Ends the rewritten line so that the next output starts on its own line. */
  done(): void {
    if (this.stream.isTTY && this.shown) this.stream.write('\n')
    this.shown = false
  }
}
