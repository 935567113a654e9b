// Messages between the app and a one-shot timing worker: time a config's iterations.
import type { RunConfig } from '../../shared/config'
import type { StepMeasurement } from './measure-steps'

export type TimingRequest = { type: 'measure'; config: RunConfig; channels: 1 | 3; classes: number; steps: number }

export type TimingReply =
  | { ok: true; measurement: StepMeasurement }
  | { ok: false; error: string }
