// An image that follows a control (a slider, a dimension) as fast as the generator allows: one request in
// flight, and only the newest value waits behind it, so dragging never builds a queue.
import { api, messageOf } from './api'
import type { ImageSource } from './explore.svelte'

export class LiveImage {
  src = $state<string | null>(null)
  /** Milliseconds from request to image, for the last one shown. */
  latency = $state<number | null>(null)
  error = $state<string | null>(null)
  private inFlight = false
  private next: { source: ImageSource; vector: number[] } | null = null

  constructor(
    private readonly runId: number,
    private readonly channel: string
  ) {}

  show(source: ImageSource, vector: ArrayLike<number>): void {
    this.next = { source, vector: Array.from(vector) }
    if (!this.inFlight) void this.pump()
  }

  private async pump(): Promise<void> {
    while (this.next) {
      const { source, vector } = this.next
      this.next = null
      this.inFlight = true
      const started = performance.now()
      try {
        const result = await api.generate({ runId: this.runId, iteration: source.iteration, generator: source.generator, vectors: [vector], channel: this.channel })
        this.src = result.images[0]
        this.latency = performance.now() - started
        this.error = null
      } catch (error) {
        const message = messageOf(error)
        if (!/superseded/.test(message)) this.error = message
      } finally {
        this.inFlight = false
      }
    }
  }
}
