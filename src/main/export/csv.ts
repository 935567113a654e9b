// A run's metrics as CSV (RFC 4180) for spreadsheets and pandas: one row per iteration, the engine's
// figures under the names the PyTorch DCGAN tutorial prints, plus any extra series (e.g. a score computed
// every few thousand iterations).
import { figureLabels, wassersteinEstimate } from '../../shared/figures'
import { METRIC_FIELDS, type MetricSeries, type ScalarSeries } from '../../shared/runs'
import type { LossName } from '../../shared/training-options'

export interface ExtraSeries {
  /** The column header. */
  name: string
  iterations: number[]
  values: number[]
}

/** Column headers for METRIC_FIELDS, in the same order. */
export const METRIC_COLUMNS = ['iteration', 'epoch', 'loss_d', 'loss_g', 'd_x', 'd_g_z1', 'd_g_z2', 'seconds', 'wall_time'] as const

/** RFC 4180 line break. */
const EOL = '\r\n'

/** Quotes a field only when it needs it: a comma, a quote, a line break, or spaces at either end. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Shortest text that reads back as the same number; NaN and the infinities as Python and pandas read them. */
function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'inf'
  if (value === -Infinity) return '-inf'
  return String(value)
}

function checkLengths(series: MetricSeries, extra: readonly ExtraSeries[]): void {
  const rows = series.iteration.length
  for (const field of METRIC_FIELDS) {
    if (series[field].length !== rows) throw new Error(`metric column ${field} has ${series[field].length} values where iteration has ${rows}`)
  }
  const names = new Set<string>(METRIC_COLUMNS)
  for (const column of extra) {
    if (names.has(column.name)) throw new Error(`extra column "${column.name}" repeats a column name; give it another name`)
    names.add(column.name)
    if (column.iterations.length !== column.values.length) {
      throw new Error(`extra column "${column.name}" has ${column.iterations.length} iterations and ${column.values.length} values; they must match`)
    }
  }
}

/**
 * The CSV text. Rows follow the iterations of `series` and of every extra series together, in ascending
 * order; a cell is empty where its series has no value at that iteration. An iteration listed twice in
 * one series keeps its last values.
 */
export function metricsCsv(series: MetricSeries, extra: readonly ExtraSeries[] = []): string {
  checkLengths(series, extra)
  const metricRow = new Map<number, number>()
  series.iteration.forEach((iteration, row) => metricRow.set(iteration, row))
  const extraValues = extra.map((column) => new Map(column.iterations.map((iteration, i) => [iteration, column.values[i]])))
  const iterations = [...new Set([...series.iteration, ...extra.flatMap((c) => c.iterations)])].sort((a, b) => a - b)

  const lines = [[...METRIC_COLUMNS, ...extra.map((c) => c.name)].map(csvField).join(',')]
  for (const iteration of iterations) {
    const row = metricRow.get(iteration)
    const cells = METRIC_FIELDS.map((field) =>
      field === 'iteration' ? formatNumber(iteration) : row === undefined ? '' : formatNumber(series[field][row])
    )
    for (const values of extraValues) {
      const value = values.get(iteration)
      cells.push(value === undefined ? '' : formatNumber(value))
    }
    lines.push(cells.join(','))
  }
  return lines.join(EOL) + EOL
}

/**
 * A run's CSV: its metrics, its every-so-often figures (SWD), and for a WGAN the critic's Wasserstein
 * estimate (figures.ts), so a spreadsheet charts what the app charts.
 */
export function runMetricsCsv(series: MetricSeries, scalars: Record<string, ScalarSeries>, loss: LossName): { csv: string; extraColumns: string[] } {
  const extra: ExtraSeries[] = []
  if (figureLabels(loss).wasserstein) {
    extra.push({ name: 'wasserstein_estimate', iterations: series.iteration, values: series.iteration.map((_, i) => wassersteinEstimate({ dReal: series.dReal[i], dFakeBefore: series.dFakeBefore[i] })) })
  }
  for (const [name, s] of Object.entries(scalars)) extra.push({ name, iterations: s.iteration, values: s.value })
  return { csv: metricsCsv(series, extra), extraColumns: extra.map((e) => e.name) }
}
