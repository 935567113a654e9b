import { describe, expect, it } from 'vitest'
import { parseRunConfig } from './config'
import { comparisonTable, configRows, nearestIteration, summarizeRun, swdNotComparable, unionOfKeys } from './compare'
import { formatShare } from './nearest'
import type { MetricSeries, RunSummary } from './runs'

const run = (name: string, lrD: number, more: Record<string, unknown> = {}): RunSummary => ({
  id: 1,
  name,
  status: 'finished',
  error: null,
  config: parseRunConfig({ imageSize: 32, lrD, ...more }),
  source: 'builtin:mnist',
  channels: 1,
  backend: 'wasm',
  backendDetail: 'wasm (SIMD, 2 threads, GAN Studio kernels)',
  backendNotes: [],
  classes: null,
  iteration: 3,
  epoch: 0,
  totalIterations: 3,
  trainSeconds: 12.5,
  createdAt: 0,
  updatedAt: 0,
  lastMetrics: null,
  latestGridIteration: 3,
  lastCheckpoint: null,
  healthSeconds: 0,
  health: []
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

  it('takes the newest memorization figure measured, and none when it was never measured', () => {
    const row = summarizeRun(run('a', 0.0002), series, { memorization: { iteration: [500, 1500], value: [0.25, 0.5] } })
    expect(row).toMatchObject({ memorization: 0.5, memorizationIteration: 1500 })
    expect(summarizeRun(run('a', 0.0002), series, {})).toMatchObject({ memorization: null, memorizationIteration: null })
    // As shown: whole percents, and one decimal below 10% so that 1 of 256 is not 0%.
    expect([1, 0.5, 0.1, 1 / 256, 0].map(formatShare)).toEqual(['100%', '50%', '10%', '0.4%', '0%'])
  })

  it('marks the config keys on which runs differ', () => {
    const rows = configRows([run('a', 0.0002), run('b', 0.001)])
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['lrD'])
    expect(rows.find((r) => r.key === 'lrD')!.values).toEqual(['0.0002', '0.001'])
    expect(rows.find((r) => r.key === 'data')!.differs).toBe(false)
    // Every key once: the table is keyed by it.
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length)
  })

  it('lists a loss, its settings, augmentations and the EMA where runs differ in them', () => {
    const rows = configRows([run('plain', 0.0002), run('small data', 0.0002, { loss: 'hinge', augment: ['cutout', 'color'], ema: 0.999 })])
    const differing = Object.fromEntries(rows.filter((r) => r.differs).map((r) => [r.key, r.values]))
    expect(differing).toEqual({ loss: ['bce', 'hinge'], augment: ['none', 'color,cutout'], ema: ['0', '0.999'] })
    const wgan = configRows([run('plain', 0.0002), run('wgan', 0.0002, { loss: 'wgan', lrD: undefined })])
    expect(wgan.filter((r) => r.differs).map((r) => r.key)).toEqual(['lrD', 'lrG', 'dStepsPerG', 'loss', 'optimizer', 'weightClip'])
  })

  it('compares a conditional run with an unconditional one: conditioning and classes differ, SWD stays comparable on one data set', () => {
    const classes = { names: ['0', '1'], counts: [5, 5], unlabeled: 0, from: 'builtin' as const }
    const runs = [run('plain', 0.0002), { ...run('by class', 0.0002, { conditional: true }), classes }]
    const rows = configRows(runs)
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['classes', 'conditional'])
    expect(rows.find((r) => r.key === 'classes')!.values).toEqual(['–', '2: 0, 1'])
    expect(swdNotComparable(runs)).toBeNull()
    // Without a conditional run there is no classes row at all.
    expect(configRows([run('a', 0.0002), run('b', 0.0002)]).some((r) => r.key === 'classes')).toBe(false)
  })

  it('shows every key any run has, with – where a run lacks it', () => {
    // The first run trains by epochs, the second by iterations: neither key may be dropped.
    const rows = configRows([run('a', 0.0002, { epochs: 5 }), run('b', 0.0002, { iterations: 500, swdEvery: 100 })])
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]))
    expect(byKey.iterations).toMatchObject({ values: ['–', '500'], differs: true, column: 'config.iterations' })
    expect(byKey.epochs).toMatchObject({ values: ['5', '–'], differs: true })
    expect(byKey.swdEvery).toMatchObject({ values: ['–', '100'], differs: true })
    expect(rows.filter((r) => r.differs).map((r) => r.key).sort()).toEqual(['epochs', 'iterations', 'swdEvery'])
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length)
  })

  it('merges key orders, keeping a key next to the one it follows', () => {
    expect(unionOfKeys([['a', 'c', 'e'], ['a', 'b', 'c', 'd', 'e', 'f'], ['z']])).toEqual(['z', 'a', 'b', 'c', 'd', 'e', 'f'])
    expect(unionOfKeys([])).toEqual([])
  })

  it('writes the comparison table with each column named once', () => {
    const runs = [run('a', 0.0002, { iterations: 300 }), run('b', 0.001, { iterations: 500, backend: 'wasm' })]
    const table = comparisonTable(runs, runs.map((r) => summarizeRun(r, series, {})))
    const [header, ...lines] = table
    expect(new Set(header).size).toBe(header.length)
    // The summary's iterations (trained) and the config's (asked for) are told apart.
    expect(header.slice(-3)).toEqual(['config.lrD', 'config.iterations', 'config.backend'])
    expect(header).toContain('iterations')
    expect(lines).toHaveLength(2)
    expect(lines[0][0]).toBe('a')
    expect(lines[0].slice(-3)).toEqual(['0.0002', '300', 'auto'])
    expect(lines[1].slice(-3)).toEqual(['0.001', '500', 'wasm'])
    expect(lines.every((l) => l.length === header.length)).toBe(true)
  })
})

describe('what the compare screen may put side by side', () => {
  it('takes the saved iteration nearest the slider, the later one on a tie', () => {
    expect(nearestIteration([0, 20, 40, 60], 10)).toBe(20)
    expect(nearestIteration([0, 20, 40, 60], 9)).toBe(0)
    expect(nearestIteration([20, 40, 60], 100)).toBe(60)
    expect(nearestIteration([40, 20, 60], 30)).toBe(40)
    expect(nearestIteration([], 10)).toBeNull()
  })

  it('says SWD is not comparable when runs differ in data set, image size or channels', () => {
    const mnist = run('a', 0.0002)
    expect(swdNotComparable([mnist, run('b', 0.001)])).toBeNull()
    const fashion = { ...run('c', 0.0002), source: 'builtin:fashion-mnist' }
    expect(swdNotComparable([mnist, fashion])).toMatch(/not comparable.*mnist, 32 px grayscale; fashion-mnist, 32 px grayscale/)
    expect(swdNotComparable([mnist, run('d', 0.0002, { imageSize: 64 })])).toMatch(/32 px.*64 px/)
    expect(swdNotComparable([mnist, { ...run('e', 0.0002), source: '/home/me/photos/cats' }])).toMatch(/cats, 32 px/)
  })
})
