import { describe, expect, it } from 'vitest'
import { emaSmooth } from '../../../../shared/chart-data/smoothing'
import { ChartModel, placeOnTimeline, type ChartSeries, type RunTimeline } from './chart-model'
import { formatCount, formatDuration, formatDurationTick, formatIterationTick, formatValue, formatValueTick } from './format'
import { describeValues } from './legend'

const START = 1_700_000_000_000

/** A run's metrics: iterations 1..n, each taking 0.25 s, with an optional pause before one iteration. */
function run(n: number, pause?: { before: number; seconds: number }): RunTimeline & { [K in 'iteration' | 'wallTime' | 'seconds' | 'lossD' | 'lossG']: number[] } {
  const out = { iteration: [] as number[], wallTime: [] as number[], seconds: [] as number[], lossD: [] as number[], lossG: [] as number[] }
  let t = START
  for (let i = 0; i < n; i++) {
    if (pause && i + 1 === pause.before) t += pause.seconds * 1000
    t += 250
    out.iteration.push(i + 1)
    out.wallTime.push(t)
    out.seconds.push(0.25)
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
    expect(model.latest()[0].point).toMatchObject({ iteration: 8, raw: more.lossD[7], smoothed: emaSmooth(more.lossD, 0.5)[7] })
    model.sync(series, 0.9, 'iteration')
    expect(model.latest()[0].point?.smoothed).toBe(emaSmooth(more.lossD, 0.9)[7])
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
    // Past run 1's last point it has no value; run 2 has its nearest one.
    expect(model.valuesAt(5.2).map((v) => v.point?.iteration ?? null)).toEqual([null, 6])
  })

  it('places a marked iteration on the x axis: itself, or the run\'s time at it (a health alert on a time axis)', () => {
    const r = run(10, { before: 6, seconds: 60 })
    // A sparse series (SWD) alone still places marks by its run's timeline.
    const series: ChartSeries[] = [{ label: 'SWD', color: 'red', iteration: [5, 10], y: [3, 2], run: r }]
    const model = new ChartModel()
    model.sync(series, 0, 'iteration')
    expect(model.xOfIteration(7)).toBe(7)
    model.sync(series, 0, 'training')
    expect(model.xOfIteration(4)).toBeCloseTo(1)
    expect(model.xOfIteration(8)).toBeCloseTo(2)
    // Past the last recorded iteration: the run's last time.
    expect(model.xOfIteration(50)).toBeCloseTo(2.5)
    model.sync(series, 0, 'wall')
    expect(model.xOfIteration(6)).toBeCloseTo(61.5)
    model.sync([{ label: 'none', color: 'red', iteration: [], y: [] }], 0, 'wall')
    expect(model.xOfIteration(6)).toBeNull()
  })

  it('has no extent and no values before the first point', () => {
    const model = new ChartModel()
    model.sync([{ label: 'Loss_D', color: 'red', iteration: [], y: [] }], 0.6, 'iteration')
    expect(model.extent()).toBeNull()
    expect(model.hasPoints()).toBe(false)
    expect(model.valuesAt(3)).toEqual([{ label: 'Loss_D', color: 'red', point: null }])
  })
})

describe('hover values of runs of different lengths', () => {
  const short = run(60)
  const long = run(90)
  const model = new ChartModel()
  model.sync(
    [
      { label: 'short', color: 'red', iteration: short.iteration, run: short, y: short.lossD },
      { label: 'long', color: 'blue', iteration: long.iteration, run: long, y: long.lossD }
    ],
    0,
    'iteration'
  )

  it('names the cursor position, and shows no value for a run that ended before it', () => {
    const values = model.valuesAt(89.6, 0.5)
    expect(values.map((v) => v.point?.iteration ?? null)).toEqual([null, 90])
    expect(describeValues('iteration', values, 89.6)).toEqual({ heading: 'iteration 90', notes: ['', ''] })
    // Inside both runs: both values, no notes.
    const inside = model.valuesAt(30.2, 0.5)
    expect(inside.map((v) => v.point?.raw)).toEqual([short.lossD[29], long.lossD[29]])
    expect(describeValues('iteration', inside, 30.2)).toEqual({ heading: 'iteration 30', notes: ['', ''] })
  })

  it('still shows a run\'s last point within the reach of the cursor', () => {
    expect(model.valuesAt(60.4, 0.5)[0].point?.iteration).toBe(60)
    expect(model.valuesAt(60.4, 0.1)[0].point).toBeNull()
  })

  it('marks each latest value with its iteration when the runs are at different ones', () => {
    expect(describeValues('iteration', model.latest(), null)).toEqual({ heading: 'latest values', notes: ['it 60', 'it 90'] })
    const one = new ChartModel()
    one.sync([{ label: 'Loss_D', color: 'red', iteration: short.iteration, run: short, y: short.lossD }], 0, 'iteration')
    expect(describeValues('iteration', one.latest(), null)).toEqual({ heading: 'latest: iteration 60', notes: [''] })
  })

  it('marks a sparse figure\'s nearest point with its own iteration', () => {
    const swd = new ChartModel()
    swd.sync([{ label: 'SWD', color: 'red', iteration: [50, 100], run: long, y: [3, 2] }], 0, 'iteration')
    const values = swd.valuesAt(72, 0.5)
    expect(values[0].point).toMatchObject({ iteration: 50, raw: 3 })
    expect(describeValues('iteration', values, 72)).toEqual({ heading: 'iteration 72', notes: ['it 50'] })
  })

  it('on a time axis names the time, and the iteration only when every value is at the same one', () => {
    const wall = new ChartModel()
    wall.sync([{ label: 'short', color: 'red', iteration: short.iteration, run: short, y: short.lossD }], 0, 'wall')
    const values = wall.valuesAt(5, 0.1)
    expect(values[0].point).toMatchObject({ iteration: 20, x: 5 })
    expect(describeValues('wall', values, 5)).toEqual({ heading: '5s since start · iteration 20', notes: [''] })
    expect(describeValues('training', [...values, { label: 'other', color: 'blue', point: { x: 5, iteration: 19, raw: 1, smoothed: 1 } }], 5)).toEqual({
      heading: '5s of training',
      notes: ['it 20', 'it 19']
    })
  })
})

describe('time axes', () => {
  it('counts wall time from the run\'s start for every series, a sparse SWD included', () => {
    const r = run(75)
    const model = new ChartModel()
    model.sync(
      [
        { label: 'Loss_D', color: 'red', iteration: r.iteration, run: r, y: r.lossD },
        { label: 'SWD', color: 'blue', iteration: [50], run: r, y: [1.5] },
        { label: 'no run', color: 'green', iteration: r.iteration, y: r.lossG }
      ],
      0,
      'wall'
    )
    // Iteration k ends k * 0.25 s after the run started; the axis starts at the start.
    expect(model.extent()).toEqual({ min: 0, max: 18.75 })
    expect(model.valuesAt(12.5, 0.1).map((v) => v.point?.iteration ?? null)).toEqual([50, 50, null])
    expect(model.latest()[1].point).toMatchObject({ x: 12.5, iteration: 50 })
  })

  it('gives a chart of a sparse figure the whole run\'s range, on every axis', () => {
    const r = run(75)
    const model = new ChartModel()
    const swdOnly: ChartSeries[] = [{ label: 'SWD', color: 'blue', iteration: [50], run: r, y: [1.5] }]
    model.sync(swdOnly, 0, 'iteration')
    expect(model.extent()).toEqual({ min: 1, max: 75 })
    model.sync(swdOnly, 0, 'training')
    expect(model.extent()).toEqual({ min: 0, max: 18.75 })
    // A chart whose series have no points is still empty, whatever the runs' range.
    model.sync([{ label: 'SWD', color: 'blue', iteration: [], run: r, y: [] }], 0, 'iteration')
    expect(model.hasPoints()).toBe(false)
    expect(model.extent()).toBeNull()
  })

  it('leaves pauses out of training time and keeps them in wall time', () => {
    const r = run(10, { before: 6, seconds: 35 })
    const series: ChartSeries[] = [{ label: 'Loss_D', color: 'red', iteration: r.iteration, run: r, y: r.lossD }]
    const model = new ChartModel()
    model.sync(series, 0, 'wall')
    expect(model.latest()[0].point?.x).toBe(37.5)
    expect(Array.from(model.columns({ min: 0, max: 40 }, 100, false)[0]).slice(4, 6)).toEqual([1.25, 36.5])
    model.sync(series, 0, 'training')
    expect(model.latest()[0].point?.x).toBe(2.5)
    expect(Array.from(model.columns({ min: 0, max: 3 }, 100, false)[0])).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5])
  })

  it('places sparse points at their iteration\'s time, and leaves out those the timeline has not reached', () => {
    const seconds = Float64Array.from([1, 2, 3, 4])
    expect(Array.from(placeOnTimeline([2, 4, 6], [1, 2, 3, 4], seconds))).toEqual([2, 4])
    expect(Array.from(placeOnTimeline([2], [], new Float64Array(0)))).toEqual([])
  })
})

describe('chart formats', () => {
  it('reads values, counts and durations the way a person writes them', () => {
    expect([0.693147, 12.3456, 0.00001234, 23456.7, NaN, Infinity, 0].map(formatValue)).toEqual(['0.6931', '12.35', '1.23e-5', '23,457', 'NaN', '∞', '0'])
    expect([500, 2500, 250_000, 1_000_000, 1_250_000].map(formatCount)).toEqual(['500', '2.5k', '250k', '1M', '1.25M'])
    expect([0.5, 45, 725, 11220, 187200].map(formatDuration)).toEqual(['0.5s', '45s', '12m 05s', '3h 07m', '2d 04h'])
    expect([7200, 93600, 86400, 90].map(formatDurationTick)).toEqual(['2h', '1d 02h', '1d', '1m 30s'])
    // Value ticks take the decimals their step needs: small values do not all read "0".
    expect([[0.75, 0.25], [0.05, 0.05], [0.0002, 0.0001], [4, 2], [1.35e-4, 2e-5], [0, 2e-5], [20_000, 5000]].map(([v, step]) => formatValueTick(v, step))).toEqual(['0.75', '0.05', '0.0002', '4', '1.4e-4', '0', '20,000'])
    expect([formatIterationTick(250_000, 50_000), formatIterationTick(1_500_000, 500_000), formatIterationTick(500_020, 20), formatIterationTick(40, 20), formatIterationTick(9990, 10)]).toEqual(['250k', '1.5M', '500,020', '40', '9,990'])
  })
})
