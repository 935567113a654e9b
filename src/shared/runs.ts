// What a run is, as every side sees it: its status, its figures per iteration, its saved artifacts.
import type { BackendChoice, RunConfig } from './config'
import type { DatasetClasses, IngestProgress, SkippedFile } from './dataset'
import type { HealthAlert } from './health'

export const RUN_STATUSES = ['created', 'running', 'paused', 'stopped', 'finished', 'interrupted', 'failed'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** A run can continue training from these states. */
export const RESUMABLE_STATUSES: readonly RunStatus[] = ['created', 'paused', 'stopped', 'interrupted', 'failed']

/** How the message of a run that paused because its loss became NaN or infinite begins. */
export const DIVERGED_MESSAGE_START = 'Training diverged'

/** A run paused on its own because its loss diverged: it can continue with lower learning rates. */
export function hasDiverged(run: { status: RunStatus; error: string | null }): boolean {
  return run.status === 'paused' && (run.error ?? '').startsWith(DIVERGED_MESSAGE_START)
}

/** How the message of a run paused because its GPU stopped working (device lost, out of memory) begins. */
export const GPU_FAULT_MESSAGE_START = 'The GPU'

/** A run paused on its own because its GPU stopped working: it can continue on the CPU. */
export function hasGpuFault(run: { status: RunStatus; error: string | null }): boolean {
  return run.status === 'paused' && (run.error ?? '').startsWith(GPU_FAULT_MESSAGE_START)
}

/**
 * Settings a run may change when it continues from its last checkpoint: lower learning rates after it
 * diverged, another backend after its GPU stopped working, label smoothing or fewer D steps when the
 * discriminator wins (what a health alert suggests: src/shared/health.ts).
 */
export interface ResumeChange {
  lrD?: number
  lrG?: number
  backend?: BackendChoice
  labelSmoothing?: number
  dStepsPerG?: number
}

/**
 * The backend for lists: on a GPU its name with the GPU's ('webgpu (NVIDIA GeForce RTX 4070, Vulkan)'), else
 * the backend's name alone (the full detail of a CPU backend is for the run's own page).
 */
export function backendLabel(run: Pick<RunSummary, 'backend' | 'backendDetail'>): string {
  if (run.backend === null) return '–'
  return run.backend === 'webgpu' && run.backendDetail ? run.backendDetail : run.backend
}

/** The backend "Resume on the CPU" picks: the fast wasm engine, installed everywhere. */
export const CPU_FALLBACK_BACKEND: BackendChoice = 'wasm'

export interface RunSummary {
  id: number
  name: string
  status: RunStatus
  /** Why the run failed or paused on its own (a diverged loss), for the user. */
  error: string | null
  config: RunConfig
  /** 'builtin:mnist' or a folder path. */
  source: string
  channels: 1 | 3 | null
  /** The backend's name ('webgpu', 'wasm', ...) of the latest session. */
  backend: string | null
  /** The same for people, with the GPU's name: 'webgpu (NVIDIA GeForce RTX 4070, Vulkan)'. */
  backendDetail: string | null
  /** What the latest session said about its backend: why auto passed one over, a fallback and its cost. */
  backendNotes: string[]
  /** The classes a conditional run trains on, in label order; null for other runs and until its data is prepared. */
  classes: DatasetClasses | null
  iteration: number
  epoch: number
  totalIterations: number | null
  /** Seconds spent training (excludes pauses and time closed). */
  trainSeconds: number
  /** Of which the training health checks took (about: iterations redone after a resume count twice). */
  healthSeconds: number
  createdAt: number
  updatedAt: number
  lastMetrics: MetricRow | null
  /** Iteration of the newest sample grid, if any. */
  latestGridIteration: number | null
  /** Iteration of the newest checkpoint: where training continues once this run's session has ended. */
  lastCheckpoint: number | null
  /** Training health alerts (mode collapse, the discriminator winning, ...), in the order they started. */
  health: HealthAlert[]
}

/** One iteration's figures, as the engine records them. */
export interface MetricRow {
  iteration: number
  epoch: number
  lossD: number
  lossG: number
  /** D(x): mean D output on the real batch. */
  dReal: number
  /** D(G(z)) before the D step. */
  dFakeBefore: number
  /** D(G(z)) after the D step. */
  dFakeAfter: number
  /** Seconds the iteration took. */
  seconds: number
  /** Unix time in ms when it finished. */
  wallTime: number
}

export const METRIC_FIELDS = ['iteration', 'epoch', 'lossD', 'lossG', 'dReal', 'dFakeBefore', 'dFakeAfter', 'seconds', 'wallTime'] as const

/** Many iterations' figures, column by column (compact to send and to chart). */
export type MetricSeries = { [K in (typeof METRIC_FIELDS)[number]]: number[] }

export interface CheckpointInfo {
  id: number
  iteration: number
  epoch: number
  pinned: boolean
  reason: string
  bytes: number
  createdAt: number
}

export interface SavedLatent {
  id: number
  runId: number
  name: string
  vector: number[]
  createdAt: number
}

/** What a training session reports, in order: status changes, data preparation, figures, grids, checkpoints. */
export type RunEvent =
  | { type: 'status'; status: RunStatus; error: string | null; iteration: number }
  | { type: 'ingest'; progress: IngestProgress }
  /** The data set is ready: what it holds and which files were left out, and why. */
  | { type: 'dataset'; source: string; count: number; size: number; channels: 1 | 3; skipped: SkippedFile[]; fromCache: boolean; classes: DatasetClasses | null }
  | {
      type: 'started'
      backend: string
      backendDetail: string
      /** Why an installed backend ranked above this one was passed over (empty in the usual case). */
      backendNotes: string[]
      /** The networks for people: architecture, conditioning and parameter counts (model-size.ts). */
      model: string
      totalIterations: number
      iteration: number
      resumedFrom: number | null
    }
  | { type: 'metrics'; rows: MetricRow[] }
  | { type: 'grid'; iteration: number }
  /** Figures computed every so often (the SWD quality metric), at one iteration. */
  | { type: 'scalars'; iteration: number; values: Record<string, number> }
  | { type: 'checkpoint'; checkpoint: CheckpointInfo }
  /** The run's health alerts changed (one began, went on or ended): all of them, as the store now has them. */
  | { type: 'health'; alerts: HealthAlert[] }
  /** The session is over (its last status was already sent); `error` when it failed. */
  | { type: 'ended'; error: string | null }

/** A figure recorded every so often, e.g. the SWD quality metric. */
export interface ScalarSeries {
  iteration: number[]
  value: number[]
}
