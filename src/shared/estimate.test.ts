import { describe, expect, it } from 'vitest'
import { parseRunConfig } from './config'
import { estimateTraining, timingKey, trainingTotals } from './estimate'

describe('the estimate before Start', () => {
  it('turns a measured iteration into the run’s iterations, epochs and time', () => {
    const byIterations = parseRunConfig({ batchSize: 64, iterations: 1200 })
    expect(estimateTraining(byIterations, 10_000, 0.25)).toEqual({ iterations: 1200, iterationsPerEpoch: 156, epochs: 1200 / 156, seconds: 300 })
    const byEpochs = parseRunConfig({ batchSize: 128, epochs: 5 })
    expect(estimateTraining(byEpochs, 1000, 2)).toMatchObject({ iterations: 35, iterationsPerEpoch: 7, epochs: 5, seconds: 70 })
  })

  it('measures once per model shape: learning rates, seeds and lengths share a measurement', () => {
    const base = parseRunConfig({ imageSize: 32, ngf: 32 })
    expect(timingKey(parseRunConfig({ ...base, lrG: 0.001, seed: 1, epochs: 9 }), 1)).toBe(timingKey(base, 1))
    expect(timingKey(parseRunConfig({ ...base, batchSize: 32 }), 1)).not.toBe(timingKey(base, 1))
    expect(timingKey(parseRunConfig({ ...base, dStepsPerG: 2 }), 1)).not.toBe(timingKey(base, 1))
    expect(timingKey(parseRunConfig({ ...base, backend: 'cpu' }), 1)).not.toBe(timingKey(base, 1))
    // A conditional model's size depends on its classes (D's label maps); an unconditional one's does not.
    const conditional = parseRunConfig({ ...base, conditional: true })
    expect(timingKey(conditional, 1, 10)).not.toBe(timingKey(base, 1))
    expect(timingKey(conditional, 1, 10)).not.toBe(timingKey(conditional, 1, 3))
    expect(timingKey(base, 1, 10)).toBe(timingKey(base, 1))
  })

  it('totals a run’s training: its time and average rate', () => {
    expect(trainingTotals({ iteration: 300, trainSeconds: 60 })).toEqual({ seconds: 60, iterationsPerSecond: 5 })
    expect(trainingTotals({ iteration: 0, trainSeconds: 0 }).iterationsPerSecond).toBeNull()
  })
})
