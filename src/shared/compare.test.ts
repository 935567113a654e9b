import { describe, expect, it } from 'vitest'
import { parseRunConfig } from './config'
import { configRows, summarizeRun } from './compare'
import type { MetricSeries, RunSummary } from './runs'

const run = (name: string, lrD: number): RunSummary => ({
  id: 1,
  name,
  status: 'finished',
  error: null,
  config: parseRunConfig({ imageSize: 32, lrD }),
  source: 'builtin:mnist',
  channels: 1,
  backend: 'wasm',
  iteration: 3,
  epoch: 0,
  totalIterations: 3,
  trainSeconds: 12.5,
  createdAt: 0,
  updatedAt: 0,
  lastMetrics: null,
  latestGridIteration: 3
})

const series: MetricSeries = {
  iteration: [1, 2, 3],
  epoch: [0, 0, 0],
  lossD: [1, 0.8, 0.6],
  lossG: [2, 2.5, 3],
  dReal: [0.5, 0.6, 0.7],
  dFakeBefore: [0.4, 0.3, 0.2],
  dFakeAfter: [0.3, 0.2, 0.1],
  seconds: [0.5, 0.25, 0.25],
  wallTime: [1, 2, 3]
}

describe('compare', () => {
  it('summarizes a run: best SWD and where, final losses, median speed', () => {
    const row = summarizeRun(run('a', 0.0002), series, { swd: { iteration: [1, 2, 3], value: [9, 4, Number.NaN] } })
    expect(row).toMatchObject({ bestSwd: 4, bestSwdIteration: 2, finalLossD: 0.6, finalLossG: 3, iterationsPerSecond: 4, trainSeconds: 12.5 })
    expect(summarizeRun(run('b', 0.0002), series, {}).bestSwd).toBeNull()
  })

  it('marks the config keys on which runs differ', () => {
    const rows = configRows([run('a', 0.0002), run('b', 0.001)])
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['lrD'])
    expect(rows.find((r) => r.key === 'lrD')!.values).toEqual(['0.0002', '0.001'])
    expect(rows.find((r) => r.key === 'data')!.differs).toBe(false)
    // Every key once: the table is keyed by it.
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length)
  })
})
