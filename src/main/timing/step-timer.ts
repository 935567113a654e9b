// How long a training iteration of a config takes on this machine, for the new-run form's estimate:
// measured in a worker thread (never on the caller's event loop), one measurement at a time, remembered
// per model shape. While one is measured, a newer request replaces an older one still waiting.
import type { Worker } from 'node:worker_threads'
import type { RunConfig } from '../../shared/config'
import { timingKey } from '../../shared/estimate'
import { askTimingWorker } from './ask-worker'
import type { StepMeasurement } from './measure-steps'
import type { TimingRequest } from './protocol'

export type { StepMeasurement }
export { timingKey }

export interface TimedStep extends StepMeasurement {
  /** Runs that were training while it was measured (they share the processor). */
  runsTraining: number
}

/** A measurement that a newer request replaced before it began. */
export class TimingSupersededError extends Error {
  constructor() {
    super('superseded by a newer request')
    this.name = 'TimingSupersededError'
  }
}

export interface StepTimerOptions {
  /** At most this many iterations timed after the warm-up one (fewer when they are slow). */
  steps?: number
  /** A measurement that takes longer is abandoned (its worker ended) with a message saying so. */
  timeoutMs?: number
  /** How many runs are training now: noted with each measurement, since they slow it down. */
  runsTraining?: () => number
}

interface Waiting {
  key: string
  request: TimingRequest
  resolve(value: TimedStep): void
  reject(error: Error): void
}

export class StepTimer {
  private readonly cache = new Map<string, TimedStep>()
  private readonly inFlight = new Map<string, Promise<TimedStep>>()
  private waiting: Waiting | null = null
  private busy = false
  private worker: Worker | null = null
  private readonly steps: number
  private readonly timeoutMs: number
  private readonly runsTraining: () => number

  constructor(options: StepTimerOptions = {}) {
    this.steps = options.steps ?? 2
    this.timeoutMs = options.timeoutMs ?? 180_000
    this.runsTraining = options.runsTraining ?? (() => 0)
  }

  /** The remembered measurement for this config's shape, if there is one. */
  cached(config: RunConfig, channels: 1 | 3, classes = 0): TimedStep | undefined {
    return this.cache.get(timingKey(config, channels, classes))
  }

  /** `classes`: a conditional config's number of classes. */
  measure(config: RunConfig, channels: 1 | 3, classes = 0): Promise<TimedStep> {
    const key = timingKey(config, channels, classes)
    const known = this.cache.get(key)
    if (known) return Promise.resolve(known)
    const pending = this.inFlight.get(key)
    if (pending) return pending
    const promise = new Promise<TimedStep>((resolve, reject) => {
      this.waiting?.reject(new TimingSupersededError())
      this.waiting = { key, request: { type: 'measure', config, channels, classes, steps: this.steps }, resolve, reject }
    }).finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, promise)
    void this.next()
    return promise
  }

  private async next(): Promise<void> {
    if (this.busy || !this.waiting) return
    const job = this.waiting
    this.waiting = null
    this.busy = true
    try {
      const runsTraining = this.runsTraining()
      const measured: TimedStep = { ...(await this.run(job.request)), runsTraining }
      this.cache.set(job.key, measured)
      job.resolve(measured)
    } catch (error) {
      job.reject(error instanceof Error ? error : new Error(String(error)))
    } finally {
      this.busy = false
      void this.next()
    }
  }

  private async run(request: TimingRequest): Promise<StepMeasurement> {
    const tooLong = `timing a training step took over ${Math.round(this.timeoutMs / 1000)} s: this model is too slow for this machine; make it smaller (image size, ngf, ndf, batch size)`
    try {
      const answer = await askTimingWorker(request, this.timeoutMs, tooLong, (worker) => (this.worker = worker))
      if (!('measurement' in answer)) throw new Error('the worker answered something else')
      return answer.measurement
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new Error(message === tooLong ? message : `timing a training step failed: ${message}`)
    } finally {
      this.worker = null
    }
  }

  /** Ends the measurement in progress and drops the waiting one (the app is closing). */
  async close(): Promise<void> {
    this.waiting?.reject(new TimingSupersededError())
    this.waiting = null
    await this.worker?.terminate()
  }
}
