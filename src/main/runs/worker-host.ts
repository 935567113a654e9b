// Starts a training session in a worker thread, so that no training step ever blocks the caller's event
// loop (the app's IPC, the server's sockets, the CLI's signal handlers).
import type { MessagePort } from 'node:worker_threads'
import { startWorker } from '../workers'
import type { RunEvent } from '../../shared/runs'
import type { SessionCommand, SessionStart } from './protocol'

export interface SessionHandle {
  send(command: SessionCommand): void
  /** Resolves when the worker has exited; the error when it died without ending its session. */
  readonly exited: Promise<string | null>
}

/** `computePort`: the way to where the GPU is (see compute-link.ts), handed to the session. */
export function startSessionWorker(start: SessionStart, onEvent: (event: RunEvent) => void, computePort?: MessagePort): SessionHandle {
  const worker = computePort ? startWorker('training-worker', { ...start, computePort }, [computePort]) : startWorker('training-worker', start)
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
