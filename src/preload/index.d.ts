// What the preload exposes to the renderer as window.gan.
import type { ApiEvent, GanApi } from '../shared/api'

export type GanBridge = GanApi & {
  /** Subscribes to the core's events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void
}

declare global {
  interface Window {
    gan?: GanBridge
  }
}
