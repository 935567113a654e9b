// The runs on the compare screen: their live figures (SWD included), one colour each.
import { RUN_COLORS } from '../../../shared/compare'
import { RunMetrics } from './metrics.svelte'

export interface ComparedRun {
  runId: number
  color: string
  metrics: RunMetrics
}

export function compareRuns(runIds: number[]): ComparedRun[] {
  return runIds.map((runId, i) => ({ runId, color: RUN_COLORS[i % RUN_COLORS.length], metrics: new RunMetrics(runId) }))
}
