// Latent directions a user named while exploring a run's generator: the unit vector in z, where it came from
// (e.g. 'sefa:3') and the checkpoint it was computed at. The vector itself is kept, so a saved direction
// still works after training pruned that checkpoint.
import type { SavedDirection } from '../../shared/latent-directions'
import { StoreError, type Db } from './database'

interface DirectionRow {
  id: number
  run_id: number
  name: string
  source: string
  iteration: number | null
  vector: Buffer
  created_at: number
}

function toDirection(r: DirectionRow): SavedDirection {
  const floats = new Float32Array(r.vector.byteLength / 4)
  Buffer.from(floats.buffer).set(r.vector)
  return { id: r.id, runId: r.run_id, name: r.name, source: r.source, iteration: r.iteration, vector: Array.from(floats), createdAt: r.created_at }
}

/** Saves a direction under its name, replacing one of the same name in the run. */
export function saveDirection(db: Db, runId: number, direction: { name: string; source: string; iteration: number | null; vector: ArrayLike<number> }): SavedDirection {
  const name = direction.name.trim()
  if (name === '') throw new StoreError('a saved direction needs a name')
  const bytes = Buffer.from(Float32Array.from(direction.vector).buffer)
  db.prepare(
    `INSERT INTO latent_directions (run_id, name, source, iteration, vector, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, name) DO UPDATE SET source = excluded.source, iteration = excluded.iteration, vector = excluded.vector, created_at = excluded.created_at`
  ).run(runId, name, direction.source, direction.iteration, bytes, Date.now())
  return toDirection(db.prepare('SELECT * FROM latent_directions WHERE run_id = ? AND name = ?').get(runId, name) as DirectionRow)
}

export function listDirections(db: Db, runId: number): SavedDirection[] {
  return (db.prepare('SELECT * FROM latent_directions WHERE run_id = ? ORDER BY id').all(runId) as DirectionRow[]).map(toDirection)
}

export function deleteDirection(db: Db, runId: number, id: number): void {
  db.prepare('DELETE FROM latent_directions WHERE run_id = ? AND id = ?').run(runId, id)
}
