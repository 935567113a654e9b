// The renderer's handle on the core: the same typed API whether the page runs inside Electron (IPC
// through the preload's window.gan) or in a browser connected to `gan-studio serve` (WebSocket).
import type { ApiEvent, GanApi } from '../../../shared/api'
import { websocketClient } from './websocket'

export type ConnectionState = 'connected' | 'connecting' | 'disconnected'

export interface GanClient extends GanApi {
  onEvent(listener: (event: ApiEvent) => void): () => void
  /** Browser mode: the socket can drop and come back; in Electron it is always connected. */
  onConnection(listener: (state: ConnectionState) => void): () => void
}

export function createClient(): GanClient {
  const bridge = window.gan
  if (bridge) return { ...bridge, onEvent: bridge.onEvent, onConnection: () => () => undefined }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return websocketClient(`${scheme}://${location.host}/api`)
}
