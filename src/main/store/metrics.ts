// Per-iteration figures: appended in batches (one transaction each, so recording costs far less than an
// iteration), read back column by column for charts, and cut back when a run resumes from a checkpoint.
import { METRIC_FIELDS, type MetricRow, type MetricSeries } from '../../shared/runs'
import type { Db } from './database'

const FIELD_COUNT = METRIC_FIELDS.length

function pack(row: MetricRow): Buffer {
  return Buffer.from(Float64Array.from(METRIC_FIELDS, (field) => row[field]).buffer)
}

type Row = [number, number, number | null, number | null, number | null, number | null, number | null, number, number]

// SQLite stores a NaN REAL as NULL; a diverged iteration then reads back as NaN, not as 0.
const num = (v: number | null): number => (v === null ? Number.NaN : v)

export function appendMetrics(db: Db, runId: number, rows: MetricRow[]): void {
  if (rows.length === 0) return
  const insert = db.prepare(
    `INSERT OR REPLACE INTO metrics (run_id, iteration, epoch, loss_d, loss_g, d_x, d_g_z1, d_g_z2, seconds, wall_time, packed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  db.transaction(() => {
    for (const r of rows) {
      insert.run(runId, r.iteration, r.epoch, r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter, r.seconds, r.wallTime, pack(r))
    }
  })()
}

/**
 * Every metric row after `sinceIteration`, as columns. SQLite concatenates the packed rows into one blob
 * (group_concat keeps a blob's bytes as they are in a UTF-8 database), so 100,000 rows cross into
 * JavaScript as one buffer instead of 900,000 values.
 */
export function readMetrics(db: Db, runId: number, sinceIteration = 0): MetricSeries {
  const blob = db
    .prepare(
      `SELECT CAST(group_concat(packed, '') AS BLOB) FROM
         (SELECT packed FROM metrics WHERE run_id = ? AND iteration > ? ORDER BY iteration)`
    )
    .pluck()
    .get(runId, sinceIteration) as Buffer | null
  const values = new Float64Array(blob ? blob.byteLength / 8 : 0)
  if (blob) Buffer.from(values.buffer).set(blob)
  const n = values.length / FIELD_COUNT
  const series = Object.fromEntries(METRIC_FIELDS.map((field) => [field, new Array<number>(n)])) as MetricSeries
  const columns = METRIC_FIELDS.map((field) => series[field])
  for (let i = 0, k = 0; i < n; i++) for (let f = 0; f < FIELD_COUNT; f++, k++) columns[f][i] = values[k]
  return series
}

export function latestMetric(db: Db, runId: number): MetricRow | null {
  const r = db
    .prepare(
      `SELECT iteration, epoch, loss_d, loss_g, d_x, d_g_z1, d_g_z2, seconds, wall_time
       FROM metrics WHERE run_id = ? ORDER BY iteration DESC LIMIT 1`
    )
    .raw(true)
    .get(runId) as Row | undefined
  if (!r) return null
  return {
    iteration: r[0],
    epoch: r[1],
    lossD: num(r[2]),
    lossG: num(r[3]),
    dReal: num(r[4]),
    dFakeBefore: num(r[5]),
    dFakeAfter: num(r[6]),
    seconds: r[7],
    wallTime: r[8]
  }
}

/** Drops rows after `iteration`: a run resumed from a checkpoint redoes them, so its curves never zig-zag. */
export function truncateMetrics(db: Db, runId: number, iteration: number): void {
  db.prepare('DELETE FROM metrics WHERE run_id = ? AND iteration > ?').run(runId, iteration)
}
