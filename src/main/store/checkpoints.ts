// Checkpoints: a run's whole training state as one blob, written in one transaction with the pruning
// of old ones, so a kill at any moment leaves either the new checkpoint complete or none of it.
import type { CheckpointInfo } from '../../shared/runs'
import { StoreError, type Db } from './database'

export interface NewCheckpoint {
  iteration: number
  epoch: number
  /** Why it was written: 'interval', 'pause', 'stop', 'finish', 'manual'. */
  reason: string
  state: Uint8Array
  pinned?: boolean
}

interface InfoRow {
  id: number
  iteration: number
  epoch: number
  pinned: number
  reason: string
  bytes: number
  created_at: number
}

const INFO_COLUMNS = 'id, iteration, epoch, pinned, reason, bytes, created_at'

function toInfo(r: InfoRow): CheckpointInfo {
  return { id: r.id, iteration: r.iteration, epoch: r.epoch, pinned: r.pinned === 1, reason: r.reason, bytes: r.bytes, createdAt: r.created_at }
}

/**
 * Saves a checkpoint and keeps only the newest `keepLast` unpinned ones (pinned ones always stay).
 * `beforeCommit` runs inside the transaction, after the writes (the kill test holds it open there).
 */
export function saveCheckpoint(db: Db, runId: number, checkpoint: NewCheckpoint, keepLast: number, beforeCommit?: () => void): CheckpointInfo {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO checkpoints (run_id, iteration, epoch, pinned, reason, bytes, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, iteration) DO UPDATE SET epoch = excluded.epoch, reason = excluded.reason,
         bytes = excluded.bytes, state = excluded.state, created_at = excluded.created_at,
         pinned = MAX(pinned, excluded.pinned)`
    ).run(runId, checkpoint.iteration, checkpoint.epoch, checkpoint.pinned ? 1 : 0, checkpoint.reason, checkpoint.state.byteLength, checkpoint.state, Date.now())
    db.prepare(
      `DELETE FROM checkpoints WHERE run_id = ? AND pinned = 0 AND id NOT IN (
         SELECT id FROM checkpoints WHERE run_id = ? AND pinned = 0 ORDER BY iteration DESC LIMIT ?)`
    ).run(runId, runId, Math.max(1, keepLast))
    beforeCommit?.()
    return toInfo(db.prepare(`SELECT ${INFO_COLUMNS} FROM checkpoints WHERE run_id = ? AND iteration = ?`).get(runId, checkpoint.iteration) as InfoRow)
  }).immediate()
}

export function listCheckpoints(db: Db, runId: number): CheckpointInfo[] {
  return (db.prepare(`SELECT ${INFO_COLUMNS} FROM checkpoints WHERE run_id = ? ORDER BY iteration`).all(runId) as InfoRow[]).map(toInfo)
}

/** The newest checkpoint's description (or the one at `iteration`) without its state: cheap to ask often. */
export function findCheckpoint(db: Db, runId: number, iteration?: number): CheckpointInfo | null {
  const row = (
    iteration === undefined
      ? db.prepare(`SELECT ${INFO_COLUMNS} FROM checkpoints WHERE run_id = ? ORDER BY iteration DESC LIMIT 1`).get(runId)
      : db.prepare(`SELECT ${INFO_COLUMNS} FROM checkpoints WHERE run_id = ? AND iteration = ?`).get(runId, iteration)
  ) as InfoRow | undefined
  return row ? toInfo(row) : null
}

/** The newest checkpoint's state, or the one at `iteration`; null when the run has none. */
export function loadCheckpoint(db: Db, runId: number, iteration?: number): { info: CheckpointInfo; state: Buffer } | null {
  const row = (
    iteration === undefined
      ? db.prepare(`SELECT ${INFO_COLUMNS}, state FROM checkpoints WHERE run_id = ? ORDER BY iteration DESC LIMIT 1`).get(runId)
      : db.prepare(`SELECT ${INFO_COLUMNS}, state FROM checkpoints WHERE run_id = ? AND iteration = ?`).get(runId, iteration)
  ) as (InfoRow & { state: Buffer }) | undefined
  if (!row) {
    if (iteration !== undefined) {
      const saved = listCheckpoints(db, runId).map((c) => c.iteration)
      throw new StoreError(`the run has no checkpoint at iteration ${iteration}; saved: ${saved.length ? saved.join(', ') : 'none'}`)
    }
    return null
  }
  return { info: toInfo(row), state: row.state }
}

export function setCheckpointPinned(db: Db, runId: number, iteration: number, pinned: boolean): void {
  const { changes } = db.prepare('UPDATE checkpoints SET pinned = ? WHERE run_id = ? AND iteration = ?').run(pinned ? 1 : 0, runId, iteration)
  if (changes === 0) throw new StoreError(`the run has no checkpoint at iteration ${iteration}`)
}

export function latestCheckpointIteration(db: Db, runId: number): number | null {
  return (db.prepare('SELECT MAX(iteration) FROM checkpoints WHERE run_id = ?').pluck().get(runId) as number | null) ?? null
}
