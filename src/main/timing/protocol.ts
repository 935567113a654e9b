// Messages between the app and a one-shot timing worker: time a config's iterations, or ask whether a
// hardware GPU answers to WebGPU here.
import type { RunConfig } from '../../shared/config'
import type { StepMeasurement } from './measure-steps'

export type TimingRequest = { type: 'measure'; config: RunConfig; channels: 1 | 3; steps: number } | { type: 'probe-webgpu' }

export type TimingReply =
  | { ok: true; measurement: StepMeasurement }
  /** The hardware adapter's name, or null and why there is none. */
  | { ok: true; webgpu: { adapter: string | null; reason: string | null } }
  | { ok: false; error: string }
