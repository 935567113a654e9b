import { describe, expect, it } from 'vitest'
import { emaSmooth } from '../../../../shared/chart-data/smoothing'
import { ChartModel, type ChartSeries } from './chart-model'
import { formatCount, formatDuration, formatDurationTick, formatIterationTick, formatValue } from './format'

function run(n: number): { iteration: number[]; wallTime: number[]; lossD: number[]; lossG: number[] } {
  const out = { iteration: [] as number[], wallTime: [] as number[], lossD: [] as number[], lossG: [] as number[] }
  for (let i = 0; i < n; i++) {
    out.iteration.push(i + 1)
    out.wallTime.push(1_700_000_000_000 + i * 250)
    out.lossD.push(1 + Math.sin(i))
    out.lossG.push(2 + Math.cos(i))
  }
  return out
}

describe('ChartModel', () => {
  it('lays out uPlot columns as x, raw of each series, smoothed of each series', () => {
    const r = run(10)
    const series: ChartSeries[] = [
      { label: 'Loss_D', color: 'red', iteration: r.iteration, y: r.lossD },
      { label: 'Loss_G', color: 'blue', iteration: r.iteration, y: r.lossG }
    ]
    const model = new ChartModel()
    model.sync(series, 0.6, 'iteration')
    expect(model.extent()).toEqual({ min: 1, max: 10 })
    const data = model.columns({ min: 1, max: 10 }, 100, true)
    expect(data.length).toBe(5)
    expect(Array.from(data[0])).toEqual(r.iteration)
    expect(Array.from(data[1] as ArrayLike<number>)).toEqual(r.lossD)
    expect(Array.from(data[2] as ArrayLike<number>)).toEqual(r.lossG)
    expect(Array.from(data[3] as ArrayLike<number>)).toEqual(Array.from(emaSmooth(r.lossD, 0.6)))
    expect(Array.from(data[4] as ArrayLike<number>)).toEqual(Array.from(emaSmooth(r.lossG, 0.6)))
  })

  it('follows points appended in place and a new smoothing weight', () => {
    const r = run(5)
    const series: ChartSeries[] = [{ label: 'Loss_D', color: 'red', iteration: r.iteration, y: r.lossD }]
    const model = new ChartModel()
    model.sync(series, 0.5, 'iteration')
    const more = run(8)
    r.iteration.push(...more.iteration.slice(5))
    r.lossD.push(...more.lossD.slice(5))
    model.sync(series, 0.5, 'iteration')
    expect(model.latest()[0]).toMatchObject({ iteration: 8, raw: more.lossD[7], smoothed: emaSmooth(more.lossD, 0.5)[7] })
    model.sync(series, 0.9, 'iteration')
    expect(model.latest()[0].smoothed).toBe(emaSmooth(more.lossD, 0.9)[7])
  })

  it('overlays runs with different iterations on one x, with gaps where a run has no point', () => {
    const a = run(4)
    const b = { iteration: [2, 4, 6], y: [7, 8, 9] }
    const model = new ChartModel()
    model.sync(
      [
        { label: 'run 1', color: 'red', iteration: a.iteration, y: a.lossD },
        { label: 'run 2', color: 'blue', iteration: b.iteration, y: b.y }
      ],
      0,
      'iteration'
    )
    const data = model.columns({ min: 1, max: 6 }, 100, false)
    expect(Array.from(data[0])).toEqual([1, 2, 3, 4, 6])
    expect(data[2]).toEqual([null, 7, null, 8, 9])
    expect(model.valuesAt(5.2).map((v) => v.iteration)).toEqual([4, 6])
  })

  it('puts runs on seconds since their own first point on the time axis, and skips series without wall time', () => {
    const r = run(5)
    const model = new ChartModel()
    model.sync(
      [
        { label: 'Loss_D', color: 'red', iteration: r.iteration, wallTime: r.wallTime, y: r.lossD },
        { label: 'no time', color: 'blue', iteration: r.iteration, y: r.lossG }
      ],
      0,
      'time'
    )
    expect(model.extent()).toEqual({ min: 0, max: 1 })
    const data = model.columns({ min: 0, max: 1 }, 100, false)
    expect(Array.from(data[0])).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(data[2]).toEqual([null, null, null, null, null])
    expect(model.latest().map((v) => v.label)).toEqual(['Loss_D'])
  })

  it('has no extent and no values before the first point', () => {
    const model = new ChartModel()
    model.sync([{ label: 'Loss_D', color: 'red', iteration: [], y: [] }], 0.6, 'iteration')
    expect(model.extent()).toBeNull()
    expect(model.valuesAt(3)).toEqual([])
  })
})

describe('chart formats', () => {
  it('reads values, counts and durations the way a person writes them', () => {
    expect([0.693147, 12.3456, 0.00001234, 23456.7, NaN, Infinity, 0].map(formatValue)).toEqual(['0.6931', '12.35', '1.23e-5', '23,457', 'NaN', '∞', '0'])
    expect([500, 2500, 250_000, 1_000_000, 1_250_000].map(formatCount)).toEqual(['500', '2.5k', '250k', '1M', '1.25M'])
    expect([0.5, 45, 725, 11220, 187200].map(formatDuration)).toEqual(['0.5s', '45s', '12m 05s', '3h 07m', '2d 04h'])
    expect([7200, 93600, 86400, 90].map(formatDurationTick)).toEqual(['2h', '1d 02h', '1d', '1m 30s'])
    expect([formatIterationTick(250_000, 50_000), formatIterationTick(1_500_000, 500_000), formatIterationTick(500_020, 20), formatIterationTick(40, 20), formatIterationTick(9990, 10)]).toEqual(['250k', '1.5M', '500,020', '40', '9,990'])
  })
})
