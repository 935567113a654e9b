// One run's figures for the charts: loaded once, then grown from live events. A gap in the event stream
// (a dropped message, a reconnect) is filled from the store, so the curves never miss iterations.
import { wassersteinEstimate } from '../../../shared/figures'
import { METRIC_FIELDS, type MetricRow, type MetricSeries, type ScalarSeries } from '../../../shared/runs'
import { api, messageOf } from './api'

function emptySeries(): MetricSeries {
  return Object.fromEntries(METRIC_FIELDS.map((f) => [f, [] as number[]])) as MetricSeries
}

export class RunMetrics {
  /** Plain arrays, not deeply reactive (a million points): `version` says when they changed. */
  series: MetricSeries = emptySeries()
  /** The critic's Wasserstein estimate per iteration (what a WGAN run charts), grown with the series. */
  wasserstein: number[] = []
  version = $state(0)
  loading = $state(true)
  error = $state<string | null>(null)
  /** Figures recorded every so often (SWD), by name; small, so simply reloaded when one arrives. */
  scalars = $state<Record<string, ScalarSeries>>({})
  /** Iterations per second, smoothed over the recent iterations. */
  rate = $state(0)
  private fetching: Promise<void> | null = null
  private readonly unsubscribe: () => void

  constructor(readonly runId: number) {
    this.unsubscribe = api.onEvent((event) => {
      if (event.type === 'runs-changed') return void this.fill()
      if (event.type !== 'run' || event.runId !== runId) return
      if (event.event.type === 'metrics') this.append(event.event.rows)
      if (event.event.type === 'scalars') void this.loadScalars()
      // A resumed run redoes the iterations after its checkpoint: start over from the store.
      if (event.event.type === 'started') void this.reload()
    })
    void this.reload()
  }

  get lastIteration(): number {
    const it = this.series.iteration
    return it.length ? it[it.length - 1] : 0
  }

  async reload(): Promise<void> {
    this.series = emptySeries()
    this.wasserstein = []
    this.version++
    await Promise.all([this.fill(), this.loadScalars()])
    this.loading = false
  }

  async loadScalars(): Promise<void> {
    try {
      this.scalars = await api.getScalars(this.runId)
      this.version++
    } catch (error) {
      this.error = `The quality figures could not be loaded: ${messageOf(error)}`
    }
  }

  /** Fetches everything after the last iteration held. */
  private fill(): Promise<void> {
    this.fetching ??= (async () => {
      try {
        const more = await api.getMetrics(this.runId, this.lastIteration)
        this.push(more)
        this.error = null
      } catch (error) {
        this.error = `The curves could not be loaded: ${messageOf(error)}`
      } finally {
        this.fetching = null
      }
    })()
    return this.fetching
  }

  private append(rows: MetricRow[]): void {
    if (rows.length === 0 || this.fetching) return void this.fill()
    if (rows[0].iteration > this.lastIteration + 1) return void this.fill()
    const fresh = rows.filter((r) => r.iteration > this.lastIteration)
    const columns = emptySeries()
    for (const r of fresh) for (const f of METRIC_FIELDS) columns[f].push(r[f])
    this.push(columns)
  }

  private push(more: MetricSeries): void {
    const n = more.iteration.length
    if (n === 0) return
    for (const f of METRIC_FIELDS) {
      const target = this.series[f]
      for (let i = 0; i < n; i++) target.push(more[f][i])
    }
    for (let i = 0; i < n; i++) this.wasserstein.push(wassersteinEstimate({ dReal: more.dReal[i], dFakeBefore: more.dFakeBefore[i] }))
    for (let i = 0; i < n; i++) {
      const s = more.seconds[i]
      if (s > 0) this.rate = this.rate === 0 ? 1 / s : 0.95 * this.rate + 0.05 / s
    }
    this.version++
  }

  dispose(): void {
    this.unsubscribe()
  }
}
