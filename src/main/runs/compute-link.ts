// The core's end of the path to where the GPU is. In the desktop app a hidden window runs trainers on
// Chromium's WebGPU (compute-window.ts); a session's worker thread reaches it through a MessagePort that the
// run manager relays, message by message, to a channel the connector opened.
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import type { ComputeChannel } from '../training/compute/protocol'

export interface ComputeConnector {
  /** A channel to a new trainer host where the GPU is. Messages sent before it is ready wait. */
  open(): ComputeChannel
}

/** A worker_threads port as a compute channel (the session's end). */
export function portChannel(port: MessagePort): ComputeChannel {
  return {
    post: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (handler) => port.on('message', handler),
    close: () => port.close()
  }
}

/**
 * A port for a session's worker, relayed to a channel the connector opens. Closing either end closes the
 * other: a session that ends frees its trainer host, and a host that is gone fails the session's requests.
 */
export function relayedPort(connector: ComputeConnector): { port: MessagePort; close(): void } {
  const { port1, port2 } = new MessageChannel()
  const link = connector.open()
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    link.close()
    port1.close()
  }
  port1.on('message', (message) => link.post(message))
  port1.on('close', close)
  link.onMessage((message) => {
    if (!closed) port1.postMessage(message)
  })
  return { port: port2, close }
}
