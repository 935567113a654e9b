// The runs on the compare screen: their live figures and their SWD, one colour each.
import { RUN_COLORS } from '../../../shared/compare'
import type { ScalarSeries } from '../../../shared/runs'
import { api } from './api'
import { RunMetrics } from './metrics.svelte'

export class ComparedRun {
  readonly metrics: RunMetrics
  scalars = $state<Record<string, ScalarSeries>>({})
  scalarVersion = $state(0)
  private readonly unsubscribe: () => void

  constructor(
    readonly runId: number,
    readonly color: string
  ) {
    this.metrics = new RunMetrics(runId)
    this.unsubscribe = api.onEvent((event) => {
      if (event.type === 'run' && event.runId === runId && (event.event.type === 'scalars' || event.event.type === 'started')) void this.loadScalars()
    })
    void this.loadScalars()
  }

  async loadScalars(): Promise<void> {
    this.scalars = await api.getScalars(this.runId).catch(() => ({}))
    this.scalarVersion++
  }

  dispose(): void {
    this.metrics.dispose()
    this.unsubscribe()
  }
}

export function compareRuns(runIds: number[]): ComparedRun[] {
  return runIds.map((id, i) => new ComparedRun(id, RUN_COLORS[i % RUN_COLORS.length]))
}
