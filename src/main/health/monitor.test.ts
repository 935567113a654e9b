// Each health check on made-up series: the problem it looks for raises an alert with the stretch it covered,
// and what a healthy run does (a strong D early on, a single spike, an untrained generator's blobs, SWD
// flat while the generator learns shapes) raises none.
import { describe, expect, it } from 'vitest'
import { Random } from '../../shared/random'
import type { MetricSeries, ScalarSeries } from '../../shared/runs'
import { COLLAPSE, D_WINNING, JUMPS, NO_PROGRESS, SPIKES } from './detectors'
import { DIVERSITY_SCALAR, HealthMonitor, replayHealth, SAMPLE_CHANGE_SCALAR } from './monitor'

type Figures = Pick<MetricSeries, 'iteration' | 'epoch' | 'lossD' | 'lossG' | 'dReal' | 'dFakeBefore'>

/** Iterations per epoch by default: a 64-image folder at batch 16. */
const SMALL_FOLDER = 4

/**
 * `count` iterations from `first`, each figure a function of the iteration, with a little seeded noise;
 * an epoch every `perEpoch` iterations.
 */
function metrics(count: number, at: (iteration: number) => { lossD: number; lossG: number; dReal: number; dFake: number }, first = 1, perEpoch = SMALL_FOLDER): Figures {
  const random = new Random(first, 'health-test')
  const out: Figures = { iteration: [], epoch: [], lossD: [], lossG: [], dReal: [], dFakeBefore: [] }
  for (let i = first; i < first + count; i++) {
    const f = at(i)
    const jitter = () => 1 + 0.05 * (random.uniform() - 0.5)
    out.iteration.push(i)
    out.epoch.push(Math.floor((i - 1) / perEpoch))
    out.lossD.push(f.lossD * jitter())
    out.lossG.push(f.lossG * jitter())
    out.dReal.push(Math.min(1, f.dReal * jitter()))
    out.dFakeBefore.push(Math.min(1, f.dFake * jitter()))
  }
  return out
}

function join(...parts: Figures[]): Figures {
  const out: Figures = { iteration: [], epoch: [], lossD: [], lossG: [], dReal: [], dFakeBefore: [] }
  for (const p of parts) for (const k of Object.keys(out) as (keyof Figures)[]) out[k].push(...p[k])
  return out
}

const balanced = (i: number) => ({ lossD: 0.6, lossG: 2 + 0.1 * Math.sin(i / 7), dReal: 0.85, dFake: 0.15 })
const dWins = (from: number) => (i: number) => ({ lossD: 0.03, lossG: 3 + (i - from) / 100, dReal: 0.99, dFake: 0.01 })

const scalar = (iteration: number[], value: number[]): ScalarSeries => ({ iteration, value })
const kinds = (m: HealthMonitor) => m.alerts.map((a) => a.kind)

describe('the discriminator winning', () => {
  it('is an alert once D(x) near 1 and D(G(z)) near 0 last while Loss_G climbs, dated from where they began, and ends when G catches up', () => {
    const series = join(metrics(300, balanced), metrics(500, dWins(301), 301), metrics(400, balanced, 801))
    const [alert, ...others] = replayHealth(undefined, series, {}).alerts
    expect(others).toEqual([])
    expect(alert.kind).toBe('discriminator-winning')
    // Dated from the start of the first window whose means pass the bounds: mostly D winning already.
    expect(alert.startIteration).toBeGreaterThanOrEqual(301 - D_WINNING.window / 4)
    expect(alert.startIteration).toBeLessThan(301 + D_WINNING.window / 2)
    expect(alert.endIteration).toBeGreaterThanOrEqual(800)
    expect(alert.endIteration).toBeLessThan(800 + D_WINNING.window)
    expect(alert.detail).toMatch(/^D\(x\) 0\.9[89]\d and D\(G\(z\)\) 0\.01\d while Loss_G went from [\d.]+ to [\d.]+ \(means over 100 iterations\)$/)
  })

  it('is still going on (no end) when the run is at it', () => {
    const alerts = replayHealth(undefined, join(metrics(300, balanced), metrics(400, dWins(301), 301)), {}).alerts
    expect(alerts).toMatchObject([{ kind: 'discriminator-winning', endIteration: null }])
  })

  it('is not raised for a strong D that lasts less than its sustain, nor while Loss_G comes down', () => {
    const brief = join(metrics(300, balanced), metrics(D_WINNING.sustain - 50, dWins(301), 301), metrics(300, balanced, 451))
    expect(kinds(replayHealth(undefined, brief, {}))).toEqual([])
    const gCatchingUp = join(metrics(300, balanced), metrics(500, (i) => ({ ...dWins(301)(i), lossG: 6 - (i - 301) / 200 }), 301))
    expect(kinds(replayHealth(undefined, gCatchingUp, {}))).toEqual([])
  })

  it("reads D's outputs by the run's loss: hinge margins count, a Wasserstein critic's scores never do", () => {
    const critic = join(metrics(300, balanced), metrics(500, (i) => ({ lossD: -5, lossG: 2 + (i - 301) / 50, dReal: 4, dFake: -6 }), 301))
    expect(kinds(replayHealth('wgan-gp', critic, {}))).toEqual([])
    expect(kinds(replayHealth('wgan', critic, {}))).toEqual([])
    const hingeWins = join(metrics(300, balanced), metrics(500, (i) => ({ lossD: 0, lossG: 1.5 + (i - 301) / 100, dReal: 1.6, dFake: -1.5 }), 301))
    expect(kinds(replayHealth('hinge', hingeWins, {}))).toEqual(['discriminator-winning'])
    // The same figures as probabilities would be nonsense for BCE; BCE's own is tested above.
    expect(kinds(replayHealth('lsgan', join(metrics(300, balanced), metrics(500, dWins(301), 301)), {}))).toEqual(['discriminator-winning'])
  })
})

describe('instability', () => {
  // Between spikes D is sure but not winning outright (on a small folder it is often both).
  const memorized = (i: number) => ({ lossD: 0.08, lossG: 3 + 0.5 * Math.sin(i / 20), dReal: 0.93, dFake: 0.07 })
  const withSpikes = (at: number[]) => (i: number) => (at.some((s) => i >= s && i < s + 3) ? { lossD: 6, lossG: 9, dReal: 0.5, dFake: 0.3 } : memorized(i))

  it('is an alert when Loss_D spikes again and again (a folder D has memorized), from the first spike, and ends when they stop', () => {
    const series = metrics(900, withSpikes([200, 300, 400]))
    const alerts = replayHealth(undefined, series, {}).alerts
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ kind: 'instability', startIteration: 200 })
    // Ends once fewer than SPIKES.events spikes remain in the window, plus the clearing stretch.
    expect(alerts[0].endIteration).toBeGreaterThanOrEqual(200 + SPIKES.window)
    expect(alerts[0].endIteration).toBeLessThanOrEqual(200 + SPIKES.window + SPIKES.clear)
    expect(alerts[0].detail).toMatch(/^3 Loss_D spikes in 300 iterations, up to 6\.\d \(typically 0\.08\), after 99 passes over the images$/)
  })

  it('is not raised for the same spikes before D has seen each image often enough to memorize it (how DCGAN trains on MNIST)', () => {
    const mnist = Math.floor(10_000 / 64)
    expect(kinds(replayHealth(undefined, metrics(900, withSpikes([200, 300, 400]), 1, mnist), {}))).toEqual([])
    expect(SPIKES.minEpochs * mnist).toBeGreaterThan(900)
  })

  it('is not raised for two spikes, or for a noisy but steady loss', () => {
    expect(kinds(replayHealth(undefined, metrics(900, withSpikes([200, 400])), {}))).toEqual([])
    const random = new Random(4, 'noisy')
    const noisy = metrics(900, () => ({ lossD: 0.3 + 0.4 * random.uniform(), lossG: 2.5, dReal: 0.85, dFake: 0.15 }))
    expect(kinds(replayHealth(undefined, noisy, {}))).toEqual([])
  })

  it('is an alert when the same noise gives a different image at every grid (a generator thrashing)', () => {
    const grids = [0, 20, 40, 60, 80, 100]
    const thrashing = {
      [DIVERSITY_SCALAR]: scalar(grids, [0, 0.2, 0.2, 0.18, 0.21, 0.2]),
      [SAMPLE_CHANGE_SCALAR]: scalar(grids.slice(1), [0.5, 0.6, 0.55, 0.6, 0.5])
    }
    const alerts = replayHealth(undefined, metrics(120, balanced), thrashing).alerts
    expect(alerts).toMatchObject([{ kind: 'instability', startIteration: 20, endIteration: null }])
    // The figures of when it was raised (grid 60: a change of 0.55 against a diversity of 0.18).
    expect(alerts[0].detail).toBe('the same noise gives a different image at every grid: it changed by 3.1x the distance between two samples')
  })

  it('is not raised for samples that change less than they differ from each other, or while they are near-identical blobs', () => {
    const grids = [0, 100, 200, 300, 400]
    const settling = { [DIVERSITY_SCALAR]: scalar(grids, [0, 0.3, 0.45, 0.55, 0.6]), [SAMPLE_CHANGE_SCALAR]: scalar(grids.slice(1), [0.3, 0.35, 0.3, 0.25]) }
    expect(kinds(replayHealth(undefined, metrics(400, balanced), settling))).toEqual([])
    const early = [0, 20, 40, 60, 80]
    const blobs = { [DIVERSITY_SCALAR]: scalar(early, [0, 0.02, 0.06, 0.1, 0.14]), [SAMPLE_CHANGE_SCALAR]: scalar(early.slice(1), [0.1, 0.12, 0.15, JUMPS.ofReal - 0.01]) }
    expect(kinds(replayHealth(undefined, metrics(80, balanced), blobs))).toEqual([])
  })
})

describe('mode collapse', () => {
  const grids = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step)
  const run = (iterations: number[], diversity: number[]) => replayHealth(undefined, metrics(iterations[iterations.length - 1], balanced), { [DIVERSITY_SCALAR]: scalar(iterations, diversity) })

  it('is an alert when the samples lose most of the variety they had, and ends when it comes back', () => {
    const at = grids(0, 1000, 100)
    const diversity = [0, 0.2, 0.4, 0.6, 0.62, 0.15, 0.12, 0.1, 0.5, 0.6, 0.6]
    const alerts = run(at, diversity).alerts
    expect(alerts).toEqual([{ kind: 'mode-collapse', startIteration: 500, endIteration: 700, detail: "sample diversity 12% of the real images', down from 62% at iteration 400" }])
  })

  it('is an alert when the samples stay near copies of each other, with no rise, for a long stretch', () => {
    const at = grids(0, 400, 50)
    const alerts = run(at, at.map(() => 0.01)).alerts
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ kind: 'mode-collapse', startIteration: 0, endIteration: null })
    expect(alerts[0].startIteration + COLLAPSE.stuckFor).toBeLessThanOrEqual(400)
  })

  it("is not raised by an untrained generator's blobs that grow more varied, nor by one bad grid", () => {
    const at = grids(0, 600, 50)
    expect(kinds(run(at, [0, 0.01, 0.07, 0.12, 0.16, 0.24, 0.33, 0.46, 0.5, 0.55, 0.56, 0.64, 0.67]))).toEqual([])
    expect(kinds(run(at, [0, 0.1, 0.2, 0.4, 0.5, 0.55, 0.1, 0.55, 0.6, 0.6, 0.6, 0.6, 0.6]))).toEqual([])
  })
})

describe('no progress', () => {
  const swdRun = (iterations: number[], swd: number[]) => replayHealth(undefined, metrics(iterations[iterations.length - 1], balanced), { swd: scalar(iterations, swd) })

  it('is an alert when SWD has not beaten its best for a long stretch, dated from the best', () => {
    const at = Array.from({ length: 16 }, (_, i) => 50 * (i + 1))
    const swd = [180, 150, 120, 100, 90, 92, 95, 91, 96, 99, 94, 97, 101, 98, 100, 102]
    const alerts = swdRun(at, swd).alerts
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ kind: 'no-progress', startIteration: 250, endIteration: null })
    // The figures of when it was raised: the 5th measurement since the best, 300 iterations on.
    expect(alerts[0].detail).toBe('SWD 94.0, not better than 90.0 at iteration 250 in 6 measurements over 300 iterations')
  })

  it('ends when SWD improves again', () => {
    const at = Array.from({ length: 14 }, (_, i) => 50 * (i + 1))
    const swd = [180, 100, 101, 99, 103, 100, 98, 102, 99, 100, 70, 60, 55, 50]
    const [alert] = swdRun(at, swd).alerts
    expect(alert).toMatchObject({ kind: 'no-progress', startIteration: 100, endIteration: 500 })
  })

  it('is not raised while SWD is flat early (the generator learning shapes) and then falls', () => {
    // A balanced MNIST run's SWD, every 25 iterations: flat for 200 iterations, then down.
    const at = Array.from({ length: 16 }, (_, i) => 25 * (i + 1))
    const swd = [174.6, 178.3, 166.4, 167.8, 172.8, 205.2, 189.0, 173.6, 149.3, 140.5, 131.6, 116.6, 114.0, 102.6, 87.9, 73.6]
    expect(kinds(swdRun(at, swd))).toEqual([])
    expect(NO_PROGRESS.minStretch).toBeGreaterThan(200)
  })
})

describe('divergence and the monitor', () => {
  it('records a NaN or infinite loss as an alert at its iteration', () => {
    const monitor = new HealthMonitor()
    for (const row of [1, 2, 3].map((iteration) => ({ iteration, epoch: 0, lossD: 0.5, lossG: 1, dReal: 0.8, dFakeBefore: 0.2 }))) expect(monitor.observeIteration(row)).toEqual([])
    expect(monitor.observeIteration({ iteration: 4, epoch: 0, lossD: Number.NaN, lossG: Infinity, dReal: Number.NaN, dFakeBefore: Number.NaN })).toEqual([
      { kind: 'divergence', startIteration: 4, endIteration: 4, detail: 'Loss_D NaN, Loss_G Infinity' }
    ])
  })

  it('finds the same alerts fed iteration by iteration as replayed from the stored series, and says when each began and ended', () => {
    const series = join(metrics(300, balanced), metrics(500, dWins(301), 301), metrics(400, balanced, 801))
    const live = new HealthMonitor()
    const changes = []
    for (let i = 0; i < series.iteration.length; i++) {
      const found = live.observeIteration({ iteration: series.iteration[i], epoch: series.epoch[i], lossD: series.lossD[i], lossG: series.lossG[i], dReal: series.dReal[i], dFakeBefore: series.dFakeBefore[i] })
      changes.push(...found.map((a) => ({ at: series.iteration[i], end: a.endIteration })))
    }
    expect(live.alerts).toEqual(replayHealth(undefined, series, {}).alerts)
    // Raised once (open), then once more when it ended.
    expect(changes.map((c) => c.end === null)).toEqual([true, false])
    expect(changes[0].at - live.alerts[0].startIteration).toBeGreaterThanOrEqual(D_WINNING.sustain)
    expect(live.seconds).toBeGreaterThan(0)
  })
})
