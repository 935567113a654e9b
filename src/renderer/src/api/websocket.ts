// The API over a WebSocket: requests carry an id and wait for the matching answer; events are pushed.
// When the socket drops (the server restarted), it reconnects with a backoff. A call is never kept for
// later: one the UI was told failed must not run after the reconnect (a rename the user gave up on).
import { METHOD_NAMES, wireArguments, type ApiErrorPayload, type ApiEvent, type GanApi, type MethodName } from '../../../shared/api'
import type { ConnectionState, GanClient } from './client'

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
  /** The request, until it is sent: calls made while the socket is still opening go out once it is open. */
  unsent: string | null
}

const RETRY_MS = [500, 1000, 2000, 4000]
const NOT_CONNECTED = 'not done: GAN Studio is not connected (the server is down or restarting; retrying). Try again once it is back.'
const LOST = 'the connection to GAN Studio was lost before it answered (retrying); check whether this was done before trying again.'

/** Whether a message says only that the connection was down: stale once it is back. */
export function isConnectionMessage(message: string): boolean {
  return message === NOT_CONNECTED || message === LOST
}

/** The client, plus close() for a page (or test) that is done with it: no more reconnects. */
export type WebsocketClient = GanClient & { close(): void }

export function websocketClient(url: string): WebsocketClient {
  const eventListeners = new Set<(event: ApiEvent) => void>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  const pending = new Map<number, Pending>()
  let socket: WebSocket | null = null
  let retry: ReturnType<typeof setTimeout> | null = null
  let closed = false
  let nextId = 1
  let attempts = 0
  let state: ConnectionState = 'connecting'

  const setState = (next: ConnectionState) => {
    if (next === state) return
    state = next
    for (const listener of connectionListeners) listener(state)
  }

  const open = () => {
    retry = null
    setState(attempts === 0 && state !== 'disconnected' ? 'connecting' : state)
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      const wasDown = state === 'disconnected'
      attempts = 0
      setState('connected')
      for (const call of pending.values()) {
        if (call.unsent === null) continue
        ws.send(call.unsent)
        call.unsent = null
      }
      // What happened while the socket was down is unknown: lists and views refetch.
      if (wasDown) for (const listener of eventListeners) listener({ type: 'runs-changed' })
    }
    ws.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown; error?: ApiErrorPayload; event?: ApiEvent }
      if (data.event) {
        for (const listener of eventListeners) listener(data.event)
        return
      }
      const call = data.id === undefined ? undefined : pending.get(data.id)
      if (!call) return
      pending.delete(data.id!)
      if (data.error) call.reject(new Error(data.error.message))
      else call.resolve(data.result)
    }
    // The close that follows an error does the work; handled here so that no error goes unlistened.
    ws.onerror = () => undefined
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      if (!closed) setState('disconnected')
      // Every call fails now and is forgotten, unsent ones included: none of them runs after a reconnect.
      for (const call of pending.values()) call.reject(new Error(call.unsent === null ? LOST : NOT_CONNECTED))
      pending.clear()
      if (closed) return
      const delay = RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)]
      attempts += 1
      retry = setTimeout(open, delay)
    }
  }
  open()

  const call = (method: MethodName, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      // Between reconnect attempts there is no socket to wait for: the call fails at once.
      if (!socket || closed) return reject(new Error(NOT_CONNECTED))
      const id = nextId++
      const message = JSON.stringify({ id, method, args: wireArguments(args) })
      const open = socket.readyState === WebSocket.OPEN
      pending.set(id, { resolve, reject, unsent: open ? null : message })
      if (open) socket.send(message)
    })

  const api = Object.fromEntries(METHOD_NAMES.map((name) => [name, (...args: unknown[]) => call(name, args)])) as unknown as GanApi
  return {
    ...api,
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      listener(state)
      return () => connectionListeners.delete(listener)
    },
    close() {
      closed = true
      if (retry) clearTimeout(retry)
      socket?.close()
    }
  }
}
