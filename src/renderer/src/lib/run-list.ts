// The runs list's order and filter: pure, so the screen and its tests agree.
import type { RunSummary } from '../../../shared/runs'

export const SORT_KEYS = ['name', 'status', 'progress', 'data', 'created', 'trainTime', 'lossD', 'lossG'] as const
export type SortKey = (typeof SORT_KEYS)[number]

export interface RunListView {
  sort: SortKey
  descending: boolean
  /** Words that every shown run has in its name, data, status or backend. */
  text: string
  /** One status, or '' for all. */
  status: string
}

export const DEFAULT_VIEW: RunListView = { sort: 'created', descending: true, text: '', status: '' }

/** A run's data as the list shows it: a built-in set's name, or a folder's last part. */
export function dataLabel(run: Pick<RunSummary, 'source'>): string {
  return run.source.startsWith('builtin:') ? run.source : (run.source.split(/[\\/]/).filter(Boolean).pop() ?? run.source)
}

function sortValue(run: RunSummary, key: SortKey): string | number | null {
  switch (key) {
    case 'name':
      return run.name.toLowerCase()
    case 'status':
      return run.status
    case 'progress':
      return run.totalIterations ? run.iteration / run.totalIterations : run.iteration > 0 ? 0 : null
    case 'data':
      return dataLabel(run).toLowerCase()
    case 'created':
      return run.createdAt
    case 'trainTime':
      return run.trainSeconds
    case 'lossD':
      return run.lastMetrics?.lossD ?? null
    case 'lossG':
      return run.lastMetrics?.lossG ?? null
  }
}

/** The runs to show, in order. Runs without a value for the sort key (no losses yet) come last either way. */
export function viewRuns(runs: RunSummary[], view: RunListView): RunSummary[] {
  const words = view.text.toLowerCase().split(/\s+/).filter(Boolean)
  const shown = runs.filter((run) => {
    if (view.status && run.status !== view.status) return false
    const haystack = [run.name, run.source, run.status, run.backend ?? ''].join(' ').toLowerCase()
    return words.every((w) => haystack.includes(w))
  })
  const direction = view.descending ? -1 : 1
  const missing = (v: string | number | null): v is null => v === null || (typeof v === 'number' && Number.isNaN(v))
  return shown.sort((a, b) => {
    const x = sortValue(a, view.sort)
    const y = sortValue(b, view.sort)
    if (missing(x) || missing(y)) return Number(missing(x)) - Number(missing(y)) || a.id - b.id
    const order = x < y ? -1 : x > y ? 1 : 0
    return order * direction || a.id - b.id
  })
}
