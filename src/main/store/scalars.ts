// Named figures recorded every so often (the SWD quality metric and its levels): one row per
// (run, name, iteration), read back as one series per name.
import type { ScalarSeries } from '../../shared/runs'
import type { Db } from './database'

export interface ScalarRow {
  name: string
  iteration: number
  value: number
}

export function appendScalars(db: Db, runId: number, rows: ScalarRow[]): void {
  const insert = db.prepare('INSERT OR REPLACE INTO scalars (run_id, name, iteration, value) VALUES (?, ?, ?, ?)')
  db.transaction(() => {
    for (const r of rows) insert.run(runId, r.name, r.iteration, r.value)
  })()
}

/** Every scalar of a run, by name, in iteration order. */
export function readScalars(db: Db, runId: number): Record<string, ScalarSeries> {
  const rows = db.prepare('SELECT name, iteration, value FROM scalars WHERE run_id = ? ORDER BY name, iteration').raw(true).all(runId) as [string, number, number | null][]
  const out: Record<string, ScalarSeries> = {}
  for (const [name, iteration, value] of rows) {
    const series = (out[name] ??= { iteration: [], value: [] })
    series.iteration.push(iteration)
    series.value.push(value ?? Number.NaN)
  }
  return out
}

/** Figures after `iteration` belong to iterations a resumed run redoes. */
export function truncateScalars(db: Db, runId: number, iteration: number): void {
  db.prepare('DELETE FROM scalars WHERE run_id = ? AND iteration > ?').run(runId, iteration)
}
