// Messages between a training session (in the core) and a trainer that runs where the GPU is: in the desktop
// app, a Web Worker of a hidden window with Chromium's WebGPU. Plain data only: they cross processes by
// structured clone. One channel serves one session, and holds at most one trainer.
import type { BackendChoice, RunConfig } from '../../../shared/config'
import type { TrainingImages } from '../../data/training-images'
import type { GpuFaultKind } from '../gpu-fault'
import type { GpuAdapterSummary } from '../backend/webgpu-device'
import type { GeneratorChoice, IterationRecord, TrainerSnapshot } from '../trainer'

export type ComputeRequest =
  | { id: number; type: 'start-backend'; choice: Exclude<BackendChoice, 'auto'>; allowSoftware: boolean }
  | { id: number; type: 'create-trainer'; config: RunConfig; images: TrainingImages }
  | { id: number; type: 'step' }
  | { id: number; type: 'render-fixed-noise' }
  | { id: number; type: 'generate'; latents: Float32Array; generator?: GeneratorChoice }
  | { id: number; type: 'snapshot' }
  | { id: number; type: 'restore'; snapshot: TrainerSnapshot }
  | { id: number; type: 'dispose' }
  /** The session is over: free everything; the host may end (a Web Worker closes itself). */
  | { id: number; type: 'close' }

export interface StartedBackend {
  detail: string
  adapter?: GpuAdapterSummary
}

/** What the trainer's counters read after each request: the session shows them without asking. */
export interface TrainerCounters {
  iteration: number
  epoch: number
  totalIterations: number
}

export type ComputeResult = StartedBackend | IterationRecord | Float32Array | TrainerSnapshot | null

export interface ComputeFailure {
  name: string
  message: string
  /** Set for a BackendUnavailableError. */
  stage?: string
  detail?: string
  /** Set for a GpuFaultError. */
  kind?: GpuFaultKind
}

export type ComputeReply =
  | { id: number; ok: true; result: ComputeResult; counters: TrainerCounters | null }
  | { id: number; ok: false; error: ComputeFailure }
  /** The host itself is gone (its window closed, its process crashed): every pending request fails. */
  | { id: -1; ok: false; hostLost: true; error: ComputeFailure }

/** Both ends of a channel, whatever carries it: a browser MessagePort, a worker_threads one, a relay. */
export interface ComputeChannel {
  post(message: ComputeRequest | ComputeReply, transfer?: ArrayBuffer[]): void
  onMessage(handler: (message: unknown) => void): void
  close(): void
}
