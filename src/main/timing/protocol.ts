// Messages between the app and a step-timing worker.
import type { RunConfig } from '../../shared/config'
import type { StepMeasurement } from './measure-steps'

export interface TimingRequest {
  config: RunConfig
  channels: 1 | 3
  steps: number
}

export type TimingReply = { ok: true; measurement: StepMeasurement } | { ok: false; error: string }
