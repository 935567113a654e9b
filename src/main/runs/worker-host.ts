// Starts a training session in a worker thread, so that no training step ever blocks the caller's event
// loop (the app's IPC, the server's sockets, the CLI's signal handlers).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { RunEvent } from '../../shared/runs'
import type { SessionCommand, SessionStart } from './protocol'

/**
 * The worker: the bundled .js beside this module in a build (out/cli, out/main), or, when the core runs
 * from source (tests), a bootstrap that registers tsx's require hook and loads the TypeScript entry.
 */
function createWorker(workerData: SessionStart): Worker {
  // A bundler may put this module in a chunk folder below the entry files.
  const js = [join(__dirname, 'training-worker.js'), join(__dirname, '..', 'training-worker.js')].find((f) => existsSync(f))
  if (js) return new Worker(js, { workerData })
  const ts = join(__dirname, 'training-worker.ts')
  const bootstrap = `require('tsx/cjs/api').register(); require(${JSON.stringify(ts)})`
  return new Worker(bootstrap, { eval: true, workerData })
}

export interface SessionHandle {
  send(command: SessionCommand): void
  /** Resolves when the worker has exited; the error when it died without ending its session. */
  readonly exited: Promise<string | null>
  terminate(): Promise<void>
}

export function startSessionWorker(start: SessionStart, onEvent: (event: RunEvent) => void): SessionHandle {
  const worker = createWorker(start)
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
    exited,
    terminate: async () => {
      await worker.terminate()
    }
  }
}
