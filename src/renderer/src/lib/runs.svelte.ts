// The run list, kept current by the core's events: every screen reads runs from here.
import type { RunSummary } from '../../../shared/runs'
import { api, messageOf } from './api'

class RunsState {
  runs = $state<RunSummary[]>([])
  /** A first answer came (a list or an error). */
  loaded = $state(false)
  /** The list was received at least once (an empty list is then truly empty). */
  listed = $state(false)
  /** Why the list could not be loaded, until it loads or the user dismisses it. */
  error = $state<string | null>(null)
  refreshing = $state(false)

  constructor() {
    api.onEvent((event) => {
      if (event.type === 'runs-changed') return void this.refresh()
      if (event.type !== 'run') return
      const { runId, event: e } = event
      const run = this.runs.find((r) => r.id === runId)
      if (!run) return void this.refresh()
      if (e.type === 'metrics' && e.rows.length > 0) {
        const last = e.rows[e.rows.length - 1]
        run.iteration = last.iteration
        run.epoch = last.epoch
        run.lastMetrics = last
        // Live between reloads: the steps' own time (the core's total also counts grids and checkpoints).
        run.trainSeconds += e.rows.reduce((sum, row) => sum + row.seconds, 0)
      } else if (e.type === 'grid') {
        run.latestGridIteration = e.iteration
      } else if (e.type === 'health') {
        run.health = e.alerts
      } else if (e.type === 'status' || e.type === 'started' || e.type === 'ended') {
        void this.reload(runId)
      }
    })
    void this.refresh()
  }

  async refresh(): Promise<void> {
    this.refreshing = true
    try {
      this.runs = await api.listRuns()
      this.listed = true
      this.error = null
    } catch (error) {
      this.error = messageOf(error)
    } finally {
      this.loaded = true
      this.refreshing = false
    }
  }

  dismissError(): void {
    this.error = null
  }

  async reload(runId: number): Promise<void> {
    try {
      const fresh = await api.getRun(runId)
      const i = this.runs.findIndex((r) => r.id === runId)
      if (i >= 0) this.runs[i] = fresh
      else this.runs.push(fresh)
    } catch {
      await this.refresh()
    }
  }

  byId(runId: number): RunSummary | undefined {
    return this.runs.find((r) => r.id === runId)
  }
}

export const runsState = new RunsState()
