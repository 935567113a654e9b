// Sample grids: the PNG of the fixed-noise batch every N iterations, for the timeline slider.
import type { Db } from './database'

export function saveGrid(db: Db, runId: number, iteration: number, count: number, png: Uint8Array): void {
  db.prepare('INSERT OR REPLACE INTO sample_grids (run_id, iteration, count, png, created_at) VALUES (?, ?, ?, ?, ?)').run(runId, iteration, count, png, Date.now())
}

export function listGridIterations(db: Db, runId: number): number[] {
  return (db.prepare('SELECT iteration FROM sample_grids WHERE run_id = ? ORDER BY iteration').pluck().all(runId) as number[])
}

/** The grid at `iteration`, or the nearest saved one when there is none exactly there (the later on a tie). */
export function loadGrid(db: Db, runId: number, iteration?: number): { iteration: number; png: Buffer } | null {
  const row = (
    iteration === undefined
      ? db.prepare('SELECT iteration, png FROM sample_grids WHERE run_id = ? ORDER BY iteration DESC LIMIT 1').get(runId)
      : db.prepare('SELECT iteration, png FROM sample_grids WHERE run_id = ? ORDER BY ABS(iteration - ?), iteration DESC LIMIT 1').get(runId, iteration)
  ) as { iteration: number; png: Buffer } | undefined
  return row ?? null
}

/** Grids after `iteration` belong to a future that a resumed run will redo. */
export function truncateGrids(db: Db, runId: number, iteration: number): void {
  db.prepare('DELETE FROM sample_grids WHERE run_id = ? AND iteration > ?').run(runId, iteration)
}
