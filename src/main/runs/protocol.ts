// Messages between a run's owner (RunManager, on the main thread) and the training session (in a worker
// thread). Plain data only, they cross a thread boundary by structured clone; the one port a session may
// get (its way to the GPU) is transferred.
import type { MessagePort } from 'node:worker_threads'

export interface SessionSettings {
  /** Also checkpoint when this many minutes passed since the last one. */
  checkpointMinutes: number
  /** Unpinned checkpoints kept per run. */
  keepCheckpoints: number
  /** Metric rows are written and announced at least this often (ms)... */
  flushMs: number
  /** ...or when this many are waiting. */
  flushRows: number
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  checkpointMinutes: 5,
  keepCheckpoints: 3,
  flushMs: 500,
  flushRows: 200
}

export interface SessionStart {
  runId: number
  /** The way to where the GPU is, when the app has one (see compute-link.ts). */
  computePort?: MessagePort
  dbPath: string
  cacheDir: string
  /** better_sqlite3.node for this runtime, when not the default one. */
  nativeBinding?: string
  settings: SessionSettings
}

export type SessionCommand =
  | { type: 'pause' }
  | { type: 'resume' }
  /** Checkpoint, mark the run stopped, end the session. */
  | { type: 'stop' }
  /** Checkpoint, mark the run paused, end the session (the app or CLI is closing). */
  | { type: 'suspend' }
  | { type: 'checkpoint' }

