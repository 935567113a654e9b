// Training health alerts as the UI shows them: one colour per kind, and as marked stretches on the charts.
import { describeStretch, healthTitle, type HealthAlert, type HealthKind } from '../../../shared/health'
import type { ChartMark } from '../components/charts/chart-model'

/** Okabe-Ito hues that stand apart from the curves' own colours. */
export const HEALTH_COLORS: Record<HealthKind, string> = {
  divergence: '#ff5d6c',
  'mode-collapse': '#e69f00',
  'discriminator-winning': '#cc79a7',
  instability: '#f0e442',
  'no-progress': '#9aa3b2'
}

export function healthMarks(alerts: readonly HealthAlert[]): ChartMark[] {
  return alerts.map((a) => ({
    kind: a.kind,
    from: a.startIteration,
    to: a.endIteration,
    label: healthTitle(a.kind),
    color: HEALTH_COLORS[a.kind],
    detail: `${healthTitle(a.kind)}, ${describeStretch(a)}: ${a.detail}`
  }))
}
