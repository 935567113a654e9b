// How long a run will train, before it starts: its length in iterations and epochs from the config and the
// data set, and the time from an iteration measured on this machine.
import { totalIterations, type RunConfig } from './config'

/** Settings that do not change how long an iteration takes; every other one (a new option too) does. */
const TIMING_FREE_KEYS: readonly (keyof RunConfig)[] = [
  'seed',
  'lrD',
  'lrG',
  'beta1',
  'beta2',
  'iterations',
  'epochs',
  'labelSmoothing',
  'sampleEvery',
  'fixedNoiseCount',
  'swdEvery',
  'checkpointEvery'
]

/**
 * Configs with the same key train at the same speed on the same machine: one measurement serves them all.
 * A conditional run's speed also depends on its number of classes (D's label maps).
 */
export function timingKey(config: RunConfig, channels: 1 | 3, classes = 0): string {
  const shape = Object.entries(config)
    .filter(([key, value]) => value !== undefined && !TIMING_FREE_KEYS.includes(key as keyof RunConfig))
    .sort(([a], [b]) => a.localeCompare(b))
  return JSON.stringify(config.conditional ? [channels, shape, classes] : [channels, shape])
}

export interface TrainingEstimate {
  iterations: number
  /** Whole batches per epoch (the last partial batch of an epoch is dropped). */
  iterationsPerEpoch: number
  /** Passes over the data set, fractional when the length is given in iterations. */
  epochs: number
  /** Training steps alone; sample grids, SWD and checkpoints add a little. */
  seconds: number
}

export function estimateTraining(config: RunConfig, datasetCount: number, secondsPerIteration: number): TrainingEstimate {
  const iterations = totalIterations(config, datasetCount)
  const iterationsPerEpoch = Math.max(1, Math.floor(datasetCount / config.batchSize))
  return { iterations, iterationsPerEpoch, epochs: iterations / iterationsPerEpoch, seconds: iterations * secondsPerIteration }
}

/** What a run's training took: its time and its average rate (null before its first iteration). */
export function trainingTotals(run: { iteration: number; trainSeconds: number }): { seconds: number; iterationsPerSecond: number | null } {
  return { seconds: run.trainSeconds, iterationsPerSecond: run.iteration > 0 && run.trainSeconds > 0 ? run.iteration / run.trainSeconds : null }
}
