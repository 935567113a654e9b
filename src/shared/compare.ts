// What the compare screen puts side by side: each run's colour, its summary row, and the config keys
// on which the runs differ. Pure, so the UI and the CSV export agree.
import { MEMORIZATION_SCALAR } from './nearest'
import { describeStretch, healthTitle } from './health'
import { backendLabel, type MetricSeries, type RunSummary, type ScalarSeries } from './runs'
import { configValueText } from './config-fields'

/** One colour per run, everywhere on the compare screen (colour-blind safe, Okabe-Ito). */
export const RUN_COLORS = ['#56b4e9', '#e69f00', '#009e73', '#cc79a7', '#f0e442', '#d55e00'] as const

export const SWD_NAME = 'swd'

/**
 * The saved iteration nearest `target` (a grid's, a checkpoint's); on a tie the later one, as the store and
 * the generator choose. Null when there is none.
 */
export function nearestIteration(saved: readonly number[], target: number): number | null {
  let best: number | null = null
  for (const it of saved) {
    const closer = best === null || Math.abs(it - target) < Math.abs(best - target)
    const tieLater = best !== null && Math.abs(it - target) === Math.abs(best - target) && it > best
    if (closer || tieLater) best = it
  }
  return best
}

/**
 * Whether the runs' SWD figures can stand side by side: SWD measures a run's samples against real images of
 * its own data set at its own size, so runs on different data (or sizes, or channels) are on different
 * scales. Null when they can be compared; otherwise a sentence saying why not.
 */
export function swdNotComparable(runs: readonly Pick<RunSummary, 'name' | 'source' | 'config' | 'channels'>[]): string | null {
  const dataOf = (r: (typeof runs)[number]) => `${describeSource(r.source)}, ${r.config.imageSize} px${r.channels === 3 ? ' RGB' : r.channels === 1 ? ' grayscale' : ''}`
  const kinds = [...new Set(runs.map(dataOf))]
  if (kinds.length < 2) return null
  return `SWD is not comparable across these runs: each is measured against its own data set’s real images (${kinds.join('; ')}). Compare SWD only between runs on the same data and image size.`
}

function describeSource(source: string): string {
  return source.startsWith('builtin:') ? source.slice('builtin:'.length) : (source.split(/[\\/]/).filter(Boolean).pop() ?? source)
}

export interface RunSummaryRow {
  name: string
  status: string
  backend: string
  iterations: number
  bestSwd: number | null
  bestSwdIteration: number | null
  /** The newest memorization figure measured (0 to 1), and its checkpoint. */
  memorization: number | null
  memorizationIteration: number | null
  finalLossD: number | null
  finalLossG: number | null
  iterationsPerSecond: number | null
  trainSeconds: number
  /** The run's training health alerts, each with its stretch ("Mode collapse from iteration 300"); '' for none. */
  health: string
}

const RECENT = 200

export function summarizeRun(run: RunSummary, metrics: MetricSeries, scalars: Record<string, ScalarSeries>): RunSummaryRow {
  const swd = scalars[SWD_NAME]
  let best: number | null = null
  let bestAt: number | null = null
  swd?.value.forEach((v, i) => {
    if (Number.isFinite(v) && (best === null || v < best)) {
      best = v
      bestAt = swd.iteration[i]
    }
  })
  // Recent iterations only: the first ones include warm-up, and resumed runs may have changed backend.
  const recent = metrics.seconds.slice(-RECENT).filter((s) => s > 0).sort((a, b) => a - b)
  const median = recent.length ? recent[Math.floor(recent.length / 2)] : null
  const n = metrics.iteration.length
  const memorization = scalars[MEMORIZATION_SCALAR]
  const measured = memorization ? memorization.iteration.length - 1 : -1
  return {
    name: run.name,
    status: run.status,
    backend: run.backend === null ? '' : backendLabel(run),
    iterations: run.iteration,
    bestSwd: best,
    bestSwdIteration: bestAt,
    memorization: measured >= 0 ? memorization!.value[measured] : null,
    memorizationIteration: measured >= 0 ? memorization!.iteration[measured] : null,
    finalLossD: n ? metrics.lossD[n - 1] : (run.lastMetrics?.lossD ?? null),
    finalLossG: n ? metrics.lossG[n - 1] : (run.lastMetrics?.lossG ?? null),
    iterationsPerSecond: median ? 1 / median : null,
    trainSeconds: run.trainSeconds,
    health: run.health.map((a) => `${healthTitle(a.kind)} ${describeStretch(a)}`).join('; ')
  }
}

export interface ConfigRow {
  key: string
  /** Its column in the comparison CSV: config keys are prefixed "config." so none repeats a summary column. */
  column: string
  values: string[]
  differs: boolean
}

/** Shown for a setting a run does not have (an optional key, or a key added after the run was made). */
export const MISSING = '–'

/**
 * Every key of the runs' configs, each once: the first run's in its order, and a key only some later run
 * has right after the key it follows there (so an optional setting stays next to its neighbours).
 */
export function unionOfKeys(lists: readonly string[][]): string[] {
  const keys: string[] = []
  for (const list of lists) {
    list.forEach((key, i) => {
      if (keys.includes(key)) return
      const after = i > 0 ? keys.indexOf(list[i - 1]) : -1
      keys.splice(after + 1, 0, key)
    })
  }
  return keys
}

/** The runs' data, backend and config, key by key (every key any of them has), marking where they differ. */
export function configRows(runs: RunSummary[]): ConfigRow[] {
  const entries: [string, string, (r: RunSummary) => unknown][] = [
    // Not config keys ('backend' there is the choice, 'auto' by default; this is what ran).
    ['data', 'data', (r) => r.source],
    ['image channels', 'image channels', (r) => r.channels ?? 'not started'],
    ['backend in use', 'backend in use', (r) => (r.backend === null ? MISSING : backendLabel(r))],
    // A conditional run's classes (runs on one data set have the same ones; a folder's may have changed).
    ...(runs.some((r) => r.classes !== null)
      ? [['classes', 'classes', (r: RunSummary) => (r.classes === null ? MISSING : `${r.classes.names.length}: ${r.classes.names.join(', ')}`)] as [string, string, (r: RunSummary) => unknown]]
      : []),
    ...unionOfKeys(runs.map((r) => Object.keys(r.config))).map((k): [string, string, (r: RunSummary) => unknown] => [
      k,
      `config.${k}`,
      (r) => (r.config as Record<string, unknown>)[k] ?? MISSING
    ])
  ]
  return entries.map(([key, column, get]) => {
    const values = runs.map((r) => configValueText(get(r)))
    return { key, column, values, differs: values.some((v) => v !== values[0]) }
  })
}

export const SUMMARY_COLUMNS: { key: keyof RunSummaryRow; title: string }[] = [
  { key: 'name', title: 'run' },
  { key: 'status', title: 'status' },
  { key: 'backend', title: 'backend' },
  { key: 'iterations', title: 'iterations' },
  { key: 'bestSwd', title: 'best SWD' },
  { key: 'bestSwdIteration', title: 'best SWD at' },
  { key: 'memorization', title: 'memorization' },
  { key: 'memorizationIteration', title: 'memorization at' },
  { key: 'finalLossD', title: 'final Loss_D' },
  { key: 'finalLossG', title: 'final Loss_G' },
  { key: 'iterationsPerSecond', title: 'it/s' },
  { key: 'trainSeconds', title: 'train seconds' },
  { key: 'health', title: 'health alerts' }
]

/**
 * The comparison CSV's cells: a header, then one row per run with its summary and the settings on which
 * the runs differ. `summaries` are the runs' summary rows, in the same order as `runs`.
 */
export function comparisonTable(runs: RunSummary[], summaries: RunSummaryRow[]): string[][] {
  const differing = configRows(runs).filter((r) => r.differs)
  const header = [...SUMMARY_COLUMNS.map((c) => c.title), ...differing.map((r) => r.column)]
  const lines = summaries.map((row, i) => [...SUMMARY_COLUMNS.map((c) => String(row[c.key] ?? '')), ...differing.map((r) => r.values[i])])
  return [header, ...lines]
}
