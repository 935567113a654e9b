// What a run's recorded figures mean under its loss, in one place for the charts, the CLI and the exports.
//
// Every run records the same columns per iteration (MetricRow): Loss_D, Loss_G, and the mean of D's output
// on the real batch and on the fake batch before and after the D step. That mean is a probability (the
// sigmoid) for BCE and D's raw output for the other losses: for the WGANs, the critic's score C. A WGAN's
// figure of merit, the critic's estimate of the Wasserstein distance, is then E[C(x)] - E[C(G(z))] before
// the D step: derived from two stored columns, never stored itself.
import type { MetricRow } from './runs'
import { isWassersteinLoss, type LossName } from './training-options'

export interface FigureLabels {
  lossD: string
  lossG: string
  /** The mean output on real images, fake images (before the D step), fake images (after it). */
  real: string
  fake: string
  /** D's outputs are probabilities in [0, 1] (BCE). */
  probabilities: boolean
  /** A WGAN: chart the Wasserstein estimate instead of the outputs. */
  wasserstein: boolean
}

export const WASSERSTEIN_LABEL = 'Wasserstein estimate C(x) − C(G(z))'

export function figureLabels(loss: LossName): FigureLabels {
  if (isWassersteinLoss(loss)) {
    return { lossD: 'Loss_D (critic)', lossG: 'Loss_G', real: 'C(x)', fake: 'C(G(z))', probabilities: false, wasserstein: true }
  }
  return { lossD: 'Loss_D', lossG: 'Loss_G', real: 'D(x)', fake: 'D(G(z))', probabilities: loss === 'bce', wasserstein: false }
}

/** The critic's Wasserstein estimate at one iteration (meaningful for the WGAN losses). */
export function wassersteinEstimate(row: Pick<MetricRow, 'dReal' | 'dFakeBefore'>): number {
  return row.dReal - row.dFakeBefore
}

/** The chart of D's outputs: its title, its lines, and whether its axis is [0, 1]. */
export interface OutputsChart {
  title: string
  lines: { label: string; field: 'dReal' | 'dFakeBefore' | 'dFakeAfter' | 'wasserstein' }[]
  yRange?: [number, number]
}

export function outputsChart(loss: LossName): OutputsChart {
  const labels = figureLabels(loss)
  if (labels.wasserstein) {
    return { title: 'Critic: Wasserstein estimate (how far apart it sees real and fake)', lines: [{ label: WASSERSTEIN_LABEL, field: 'wasserstein' }] }
  }
  return {
    title: labels.probabilities ? 'Discriminator outputs' : 'Discriminator outputs (raw scores)',
    lines: [
      { label: labels.real, field: 'dReal' },
      { label: `${labels.fake} before D step`, field: 'dFakeBefore' },
      { label: `${labels.fake} after D step`, field: 'dFakeAfter' }
    ],
    yRange: labels.probabilities ? [0, 1] : undefined
  }
}

/** One iteration's figures as label-value pairs, for a terminal line. */
export function figureSummary(loss: LossName, row: Pick<MetricRow, 'lossD' | 'lossG' | 'dReal' | 'dFakeBefore' | 'dFakeAfter'>, digits = 3): string {
  const labels = figureLabels(loss)
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v))
  const losses = `${labels.lossD} ${f(row.lossD)}  ${labels.lossG} ${f(row.lossG)}`
  if (labels.wasserstein) return `${losses}  W estimate ${f(wassersteinEstimate(row))}`
  return `${losses}  ${labels.real} ${f(row.dReal)}  ${labels.fake} ${f(row.dFakeBefore)}/${f(row.dFakeAfter)}`
}

/**
 * The compare screen's charts of D's outputs for runs with these losses: D(x) and D(G(z)) (probabilities
 * when every run is BCE), the Wasserstein estimate when every run is a WGAN, and each run in its own
 * loss's units when they are mixed.
 */
export function compareOutputCharts(losses: LossName[]): { title: string; field: 'dReal' | 'dFakeBefore' | 'wasserstein'; yRange?: [number, number] }[] {
  const labels = losses.map(figureLabels)
  if (labels.length > 0 && labels.every((l) => l.wasserstein)) return [{ title: WASSERSTEIN_LABEL, field: 'wasserstein' }]
  if (labels.every((l) => l.probabilities)) {
    return [
      { title: 'D(x)', field: 'dReal', yRange: [0, 1] },
      { title: 'D(G(z))', field: 'dFakeBefore', yRange: [0, 1] }
    ]
  }
  return [
    { title: 'D(x) or C(x), in each run’s loss’s units', field: 'dReal' },
    { title: 'D(G(z)) or C(G(z)), in each run’s loss’s units', field: 'dFakeBefore' }
  ]
}
