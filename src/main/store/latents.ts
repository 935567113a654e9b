// Latent vectors a user picked and named while exploring a run's generator.
import type { SavedLatent } from '../../shared/runs'
import { StoreError, type Db } from './database'

interface LatentRow {
  id: number
  run_id: number
  name: string
  vector: Buffer
  created_at: number
}

function toLatent(r: LatentRow): SavedLatent {
  const floats = new Float32Array(r.vector.byteLength / 4)
  Buffer.from(floats.buffer).set(r.vector)
  return { id: r.id, runId: r.run_id, name: r.name, vector: Array.from(floats), createdAt: r.created_at }
}

export function saveLatent(db: Db, runId: number, name: string, vector: ArrayLike<number>): SavedLatent {
  const trimmed = name.trim()
  if (trimmed === '') throw new StoreError('a saved vector needs a name')
  const bytes = Buffer.from(Float32Array.from(vector).buffer)
  db.prepare(
    `INSERT INTO latent_vectors (run_id, name, vector, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (run_id, name) DO UPDATE SET vector = excluded.vector, created_at = excluded.created_at`
  ).run(runId, trimmed, bytes, Date.now())
  return toLatent(db.prepare('SELECT * FROM latent_vectors WHERE run_id = ? AND name = ?').get(runId, trimmed) as LatentRow)
}

export function renameLatent(db: Db, runId: number, id: number, name: string): SavedLatent {
  const trimmed = name.trim()
  if (trimmed === '') throw new StoreError('a saved vector needs a name')
  const other = db.prepare('SELECT id FROM latent_vectors WHERE run_id = ? AND name = ? AND id != ?').get(runId, trimmed, id)
  if (other) throw new StoreError(`another saved vector of this run is called "${trimmed}"; choose another name`)
  const changed = db.prepare('UPDATE latent_vectors SET name = ? WHERE run_id = ? AND id = ?').run(trimmed, runId, id).changes
  if (changed === 0) throw new StoreError('this vector is no longer saved with the run (deleted elsewhere?)')
  return toLatent(db.prepare('SELECT * FROM latent_vectors WHERE id = ?').get(id) as LatentRow)
}

export function listLatents(db: Db, runId: number): SavedLatent[] {
  return (db.prepare('SELECT * FROM latent_vectors WHERE run_id = ? ORDER BY id').all(runId) as LatentRow[]).map(toLatent)
}

export function deleteLatent(db: Db, runId: number, id: number): void {
  db.prepare('DELETE FROM latent_vectors WHERE run_id = ? AND id = ?').run(runId, id)
}
