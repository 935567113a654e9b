// A training session's health checks: feeds the monitor what the session already computes (metric rows,
// the fixed-noise grid's images, SWD), records the samples' diversity as a scalar and the alerts in the
// store. A resumed run first replays its stored figures, so its alerts are what an uninterrupted run's are.
import type { HealthAlert } from '../../shared/health'
import type { RunConfig } from '../../shared/config'
import type { MetricRow } from '../../shared/runs'
import type { PreparedDataset } from '../data'
import { meanChange, meanPairwiseDistance, poolImages, realDiversity, type PooledImages } from '../health/diversity'
import { DIVERSITY_SCALAR, HealthMonitor, replayHealth, SAMPLE_CHANGE_SCALAR, type SampleFigures } from '../health/monitor'
import { appendScalars, readHealthAlerts, readMetrics, readScalars, replaceHealthAlerts, saveHealthAlert, type Db } from '../store'

export class SessionHealth {
  private lastGridAt = -1
  /** The last grid's images, to tell how far the same noise vectors' images moved since. */
  private lastGrid: PooledImages | null = null

  private constructor(
    private readonly db: Db,
    private readonly runId: number,
    private readonly monitor: HealthMonitor,
    private readonly realDiversity: number,
    private readonly setupSeconds: number
  ) {}

  /** Time spent measuring the grids' images. */
  private pooledSeconds = 0

  /**
   * For a session starting at `iteration` (0, or its checkpoint's, once the figures after it are dropped):
   * the alerts found again from the stored figures replace the stored ones, but for divergences, which
   * stay as the run's history (their rows were dropped with the iterations after the checkpoint).
   */
  static start(db: Db, runId: number, config: RunConfig, dataset: PreparedDataset, iteration: number): SessionHealth {
    const began = performance.now()
    // The loss says how to read D's outputs (a Wasserstein critic's scores are no probabilities).
    const { loss } = config
    const monitor = iteration > 0 ? replayHealth(loss, readMetrics(db, runId), readScalars(db, runId)) : new HealthMonitor(loss)
    replaceHealthAlerts(db, runId, monitor.alerts.filter((a) => a.kind !== 'divergence'), ['divergence'])
    // The replay is counted once, in setupSeconds.
    monitor.seconds = 0
    const real = realDiversity(dataset)
    return new SessionHealth(db, runId, monitor, real, (performance.now() - began) / 1000)
  }

  /** Seconds the health checks took in this session (the replay and the real images' diversity included). */
  get seconds(): number {
    return this.setupSeconds + this.pooledSeconds + this.monitor.seconds
  }

  get alerts(): HealthAlert[] {
    return readHealthAlerts(this.db, this.runId)
  }

  /** After an iteration; true when an alert began or ended. */
  afterIteration(row: MetricRow): boolean {
    return this.save(this.monitor.observeIteration(row))
  }

  /**
   * After a sample grid: records how varied its images are and how far they moved since the last grid
   * (shares of the real images' diversity; returned for the session's scalars event), and whether an alert
   * began or ended.
   */
  afterGrid(iteration: number, images: Float32Array, count: number, size: number, channels: number): { figures: Record<string, number> | null; changed: boolean } {
    if (iteration <= this.lastGridAt || count < 2 || !(this.realDiversity > 0)) return { figures: null, changed: false }
    this.lastGridAt = iteration
    const began = performance.now()
    const pooled = poolImages(images, count, size, channels)
    const figures: SampleFigures = {
      diversity: meanPairwiseDistance(pooled) / this.realDiversity,
      change: this.lastGrid ? meanChange(this.lastGrid, pooled) / this.realDiversity : Number.NaN
    }
    this.lastGrid = pooled
    const values: Record<string, number> = { [DIVERSITY_SCALAR]: figures.diversity }
    if (Number.isFinite(figures.change)) values[SAMPLE_CHANGE_SCALAR] = figures.change
    appendScalars(this.db, this.runId, Object.entries(values).map(([name, value]) => ({ name, iteration, value })))
    this.pooledSeconds += (performance.now() - began) / 1000
    return { figures: values, changed: this.save(this.monitor.observeSamples(iteration, figures)) }
  }

  /** After an SWD measurement; true when an alert began or ended. */
  afterSwd(iteration: number, swd: number): boolean {
    return this.save(this.monitor.observeSwd(iteration, swd))
  }

  private save(changed: HealthAlert[]): boolean {
    for (const alert of changed) saveHealthAlert(this.db, this.runId, alert)
    return changed.length > 0
  }
}
