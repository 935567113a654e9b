// Store benchmark: what recording metrics costs per iteration (batched inserts) and how fast a long run's
// curves load for charting (100,000 rows).
//
// Run: npx tsx bench/store.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseRunConfig } from '../src/shared/config'
import type { MetricRow } from '../src/shared/runs'
import { appendMetrics, createRun, openDatabase, readMetrics } from '../src/main/store'

export interface StoreFigures {
  rows: number
  /** Microseconds to record one iteration's figures, written in batches of `batch` rows. */
  insertMicrosPerRow: number
  batch: number
  /** Milliseconds to read every row back as columns (median of 5). */
  readAllMs: number
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

export function benchStore(rows = 100_000, batch = 200): StoreFigures {
  const dir = mkdtempSync(join(tmpdir(), 'gan-bench-store-'))
  try {
    const db = openDatabase(join(dir, 'runs.db'))
    const run = createRun(db, { config: parseRunConfig({}), source: 'builtin:mnist' })
    const row = (iteration: number): MetricRow => ({
      iteration,
      epoch: Math.floor(iteration / 468),
      lossD: Math.random(),
      lossG: 2 * Math.random(),
      dReal: Math.random(),
      dFakeBefore: Math.random(),
      dFakeAfter: Math.random(),
      seconds: 0.2 + Math.random(),
      wallTime: Date.now()
    })
    const started = performance.now()
    for (let i = 1; i <= rows; i += batch) {
      appendMetrics(db, run.id, Array.from({ length: Math.min(batch, rows - i + 1) }, (_, k) => row(i + k)))
    }
    const insertMicrosPerRow = ((performance.now() - started) * 1000) / rows
    const reads: number[] = []
    for (let i = 0; i < 5; i++) {
      const t = performance.now()
      const series = readMetrics(db, run.id)
      reads.push(performance.now() - t)
      if (series.iteration.length !== rows) throw new Error(`read ${series.iteration.length} rows, wrote ${rows}`)
    }
    db.close()
    return { rows, insertMicrosPerRow, batch, readAllMs: median(reads) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const f = benchStore()
  console.log(`metrics: ${f.insertMicrosPerRow.toFixed(1)} us per iteration recorded (batches of ${f.batch}); ${f.rows.toLocaleString('en')} rows read back in ${f.readAllMs.toFixed(1)} ms`)
}
