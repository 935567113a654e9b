// Starts a training session in a worker thread, so that no training step ever blocks the caller's event
// loop (the app's IPC, the server's sockets, the CLI's signal handlers).
import { startWorker } from '../workers'
import type { RunEvent } from '../../shared/runs'
import type { SessionCommand, SessionStart } from './protocol'

export interface SessionHandle {
  send(command: SessionCommand): void
  /** Resolves when the worker has exited; the error when it died without ending its session. */
  readonly exited: Promise<string | null>
}

export function startSessionWorker(start: SessionStart, onEvent: (event: RunEvent) => void): SessionHandle {
  const worker = startWorker('training-worker', start)
  let ended = false
  let crash: string | null = null
  worker.on('message', (event: RunEvent) => {
    if (event.type === 'ended') ended = true
    onEvent(event)
  })
  worker.on('error', (error) => {
    crash = error instanceof Error ? error.message : String(error)
  })
  const exited = new Promise<string | null>((resolve) => {
    worker.on('exit', (code) => resolve(ended ? null : (crash ?? `the training worker exited unexpectedly (code ${code})`)))
  })
  return {
    send: (command) => worker.postMessage(command),
    exited
  }
}
