// Watches a run's figures as it trains and keeps its health alerts: every iteration's metric row, the
// fixed-noise samples at every sample grid (how varied they are, how much they moved), SWD when it is
// measured. Plain and incremental (a few array reads per iteration), so the session runs it beside
// training; replayHealth runs the same over stored series (a resumed run, tests with made-up series).
import type { HealthAlert, HealthKind } from '../../shared/health'
import type { MetricRow, MetricSeries, ScalarSeries } from '../../shared/runs'
import {
  COLLAPSE,
  D_WINNING,
  discriminatorWinning,
  diverged,
  lossSpikes,
  modeCollapse,
  NO_PROGRESS,
  noProgress,
  outputBounds,
  samplesJump,
  SPIKES,
  type Check,
  type OutputBounds
} from './detectors'
import { EpisodeTracker } from './episodes'

/** The metric checks run every this many iterations (their windows are 100-300 iterations long). */
export const CHECK_EVERY = 10
/** Scalars recorded at every sample grid, as shares of the real images' diversity. */
export const DIVERSITY_SCALAR = 'diversity'
export const SAMPLE_CHANGE_SCALAR = 'sample_change'

const WINDOW = Math.max(2 * D_WINNING.window, SPIKES.window)

/** The last WINDOW values of a figure. */
class Recent {
  private readonly values = new Float64Array(WINDOW)
  private count = 0

  push(value: number): void {
    this.values[this.count % WINDOW] = value
    this.count++
  }

  /** The last `n` values (or all there are), oldest first. */
  last(n: number): Float64Array {
    const k = Math.min(n, this.count, WINDOW)
    const out = new Float64Array(k)
    for (let i = 0; i < k; i++) out[i] = this.values[(this.count - k + i) % WINDOW]
    return out
  }
}

/** What a sample grid says: its diversity and its change since the grid before, as shares of the real images' diversity. */
export interface SampleFigures {
  diversity: number
  /** NaN for a session's first grid. */
  change: number
}

export class HealthMonitor {
  private readonly bounds: OutputBounds | null
  private readonly recent = { iteration: new Recent(), lossD: new Recent(), lossG: new Recent(), dReal: new Recent(), dFake: new Recent() }
  private readonly samples = { iteration: [] as number[], diversity: [] as number[], change: [] as number[] }
  private readonly swd = { iteration: [] as number[], value: [] as number[] }
  /** Whether the samples jumped at the last grids: part of the instability check until the next grid. */
  private jumps: Check = { holds: false, detail: '' }
  private readonly trackers: Record<Exclude<HealthKind, 'divergence'>, EpisodeTracker> = {
    'discriminator-winning': new EpisodeTracker('discriminator-winning', D_WINNING),
    instability: new EpisodeTracker('instability', SPIKES),
    'mode-collapse': new EpisodeTracker('mode-collapse', COLLAPSE),
    'no-progress': new EpisodeTracker('no-progress', NO_PROGRESS)
  }
  private readonly list: HealthAlert[] = []
  /** Seconds spent in the checks. */
  seconds = 0

  /** `loss`: the run's loss (a WGAN critic has no "near 1" and "near 0"); BCE when the config names none. */
  constructor(loss?: string) {
    this.bounds = outputBounds(loss)
  }

  /** Every alert so far, in the order they started. */
  get alerts(): HealthAlert[] {
    return [...this.list].sort((a, b) => a.startIteration - b.startIteration)
  }

  /** After each iteration; returns the alerts that began or ended. */
  observeIteration(row: Pick<MetricRow, 'iteration' | 'epoch' | 'lossD' | 'lossG' | 'dReal' | 'dFakeBefore'>): HealthAlert[] {
    return this.timed(() => {
      const blowUp = diverged(row)
      if (blowUp.holds) return this.record([{ kind: 'divergence', startIteration: row.iteration, endIteration: row.iteration, detail: blowUp.detail }])
      const { recent } = this
      recent.iteration.push(row.iteration)
      recent.lossD.push(row.lossD)
      recent.lossG.push(row.lossG)
      recent.dReal.push(row.dReal)
      recent.dFake.push(row.dFakeBefore)
      if (row.iteration % CHECK_EVERY !== 0) return []
      const n = 2 * D_WINNING.window
      const winning = discriminatorWinning({ lastIteration: row.iteration, dReal: recent.dReal.last(n), dFake: recent.dFake.last(n), lossG: recent.lossG.last(n) }, this.bounds)
      const spikes = lossSpikes({ iteration: recent.iteration.last(SPIKES.window), lossD: recent.lossD.last(SPIKES.window), epoch: row.epoch })
      return this.record([this.trackers['discriminator-winning'].update(row.iteration, winning), this.trackers.instability.update(row.iteration, either(spikes, this.jumps))])
    })
  }

  /** After a sample grid. */
  observeSamples(iteration: number, figures: SampleFigures): HealthAlert[] {
    return this.timed(() => {
      const { samples } = this
      samples.iteration.push(iteration)
      samples.diversity.push(figures.diversity)
      samples.change.push(figures.change)
      this.jumps = samplesJump(samples)
      return this.record([this.trackers['mode-collapse'].update(iteration, modeCollapse(samples))])
    })
  }

  /** After an SWD measurement. */
  observeSwd(iteration: number, value: number): HealthAlert[] {
    return this.timed(() => {
      this.swd.iteration.push(iteration)
      this.swd.value.push(value)
      return this.record([this.trackers['no-progress'].update(iteration, noProgress(this.swd))])
    })
  }

  private timed(check: () => HealthAlert[]): HealthAlert[] {
    const started = performance.now()
    try {
      return check()
    } finally {
      this.seconds += (performance.now() - started) / 1000
    }
  }

  private record(changes: (HealthAlert | null)[]): HealthAlert[] {
    const changed = changes.filter((c): c is HealthAlert => c !== null)
    for (const alert of changed) {
      const i = this.list.findIndex((a) => a.kind === alert.kind && a.startIteration === alert.startIteration)
      if (i >= 0) this.list[i] = alert
      else this.list.push(alert)
    }
    return changed
  }
}

/** One check from two: seen when either sees it, since the earlier of the two. */
function either(a: Check, b: Check): Check {
  if (a.holds && b.holds) return { holds: true, since: Math.min(a.since ?? Infinity, b.since ?? Infinity), detail: `${a.detail}; ${b.detail}` }
  return a.holds ? a : b.holds ? b : a
}

/**
 * The alerts a run's stored figures raise, found as the session would have found them while training:
 * metric rows in order, each sample grid's figures and each SWD after the iteration they were taken at.
 */
export function replayHealth(
  loss: string | undefined,
  metrics: Pick<MetricSeries, 'iteration' | 'epoch' | 'lossD' | 'lossG' | 'dReal' | 'dFakeBefore'>,
  scalars: Record<string, ScalarSeries>
): HealthMonitor {
  const monitor = new HealthMonitor(loss)
  const diversity = scalars[DIVERSITY_SCALAR] ?? { iteration: [], value: [] }
  const change = scalars[SAMPLE_CHANGE_SCALAR] ?? { iteration: [], value: [] }
  const swd = scalars.swd ?? { iteration: [], value: [] }
  let g = 0
  let c = 0
  let s = 0
  const scalarsUpTo = (iteration: number) => {
    for (; g < diversity.iteration.length && diversity.iteration[g] <= iteration; g++) {
      const at = diversity.iteration[g]
      while (c < change.iteration.length && change.iteration[c] < at) c++
      monitor.observeSamples(at, { diversity: diversity.value[g], change: change.iteration[c] === at ? change.value[c] : Number.NaN })
    }
    for (; s < swd.iteration.length && swd.iteration[s] <= iteration; s++) monitor.observeSwd(swd.iteration[s], swd.value[s])
  }
  scalarsUpTo(0)
  for (let i = 0; i < metrics.iteration.length; i++) {
    const iteration = metrics.iteration[i]
    monitor.observeIteration({ iteration, epoch: metrics.epoch[i], lossD: metrics.lossD[i], lossG: metrics.lossG[i], dReal: metrics.dReal[i], dFakeBefore: metrics.dFakeBefore[i] })
    scalarsUpTo(iteration)
  }
  scalarsUpTo(Infinity)
  return monitor
}
