import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../../shared/config'
import type { RunSummary } from '../../../shared/runs'
import { DEFAULT_VIEW, viewRuns } from './run-list'

function run(id: number, fields: Partial<RunSummary>): RunSummary {
  return {
    id,
    name: `run ${id}`,
    status: 'finished',
    error: null,
    config: parseRunConfig({}),
    source: 'builtin:mnist',
    channels: 1,
    backend: 'wasm',
    backendDetail: 'wasm (SIMD, 2 threads, GAN Studio kernels)',
    backendNotes: [],
    classes: null,
    iteration: 100,
    epoch: 0,
    totalIterations: 100,
    trainSeconds: 10,
    createdAt: 1_000 + id,
    updatedAt: 0,
    lastMetrics: null,
    latestGridIteration: null,
    lastCheckpoint: null,
    healthSeconds: 0,
    health: [],
    ...fields
  }
}

const metrics = (lossD: number) => ({ iteration: 1, epoch: 0, lossD, lossG: 1, dReal: 0, dFakeBefore: 0, dFakeAfter: 0, seconds: 0, wallTime: 0 })
const runs = [
  run(1, { name: 'Cats', source: '/home/me/Pictures/cats', trainSeconds: 300, lastMetrics: metrics(0.7) }),
  run(2, { name: 'digits', status: 'running', trainSeconds: 30, lastMetrics: metrics(1.2) }),
  run(3, { name: 'faces', source: '/data/faces', status: 'paused', backend: 'tensorflow', trainSeconds: 3000 }),
  run(4, { name: 'broken', status: 'failed', lastMetrics: metrics(NaN) })
]
const ids = (list: RunSummary[]) => list.map((r) => r.id)

describe('the runs list: order and filter', () => {
  it('shows the newest first by default', () => {
    expect(ids(viewRuns(runs, DEFAULT_VIEW))).toEqual([4, 3, 2, 1])
  })

  it('sorts by any column either way; runs without a value come last both ways', () => {
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, sort: 'name', descending: false }))).toEqual([4, 1, 2, 3])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, sort: 'trainTime', descending: true }))).toEqual([3, 1, 2, 4])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, sort: 'lossD', descending: false }))).toEqual([1, 2, 3, 4])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, sort: 'lossD', descending: true }))).toEqual([2, 1, 3, 4])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, sort: 'data', descending: false }))).toEqual([2, 4, 1, 3])
  })

  it('filters by words in the name, data, status or backend, and by status', () => {
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, text: 'mnist' }))).toEqual([4, 2])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, text: 'PICTURES cat' }))).toEqual([1])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, text: 'tensorflow' }))).toEqual([3])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, status: 'running' }))).toEqual([2])
    expect(ids(viewRuns(runs, { ...DEFAULT_VIEW, status: 'running', text: 'cats' }))).toEqual([])
  })
})
