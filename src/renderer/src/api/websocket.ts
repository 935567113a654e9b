// The API over a WebSocket: requests carry an id and wait for the matching answer; events are pushed.
// When the socket drops (the server restarted), calls wait and the socket reconnects with a backoff.
import { METHOD_NAMES, type ApiErrorPayload, type ApiEvent, type GanApi, type MethodName } from '../../../shared/api'
import type { ConnectionState, GanClient } from './client'

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

const RETRY_MS = [500, 1000, 2000, 4000]

export function websocketClient(url: string): GanClient {
  const eventListeners = new Set<(event: ApiEvent) => void>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  const pending = new Map<number, Pending>()
  let queue: string[] = []
  let socket: WebSocket | null = null
  let nextId = 1
  let attempts = 0
  let state: ConnectionState = 'connecting'

  const setState = (next: ConnectionState) => {
    if (next === state) return
    state = next
    for (const listener of connectionListeners) listener(state)
  }

  const open = () => {
    setState(attempts === 0 && state !== 'disconnected' ? 'connecting' : state)
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      const wasDown = state === 'disconnected'
      attempts = 0
      setState('connected')
      for (const message of queue) ws.send(message)
      queue = []
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
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      setState('disconnected')
      // Calls in flight have no answer coming; they fail now rather than hang.
      for (const call of pending.values()) call.reject(new Error('the connection to GAN Studio was lost; retrying'))
      pending.clear()
      const delay = RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)]
      attempts += 1
      setTimeout(open, delay)
    }
  }
  open()

  const call = (method: MethodName, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      const message = JSON.stringify({ id, method, args })
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(message)
      else queue.push(message)
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
    }
  }
}
