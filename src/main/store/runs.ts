// Runs: creation with a unique name, lookup by id or name, status changes, and the summary the run list shows.
import { parseRunConfig, type RunConfig } from '../../shared/config'
import type { DatasetClasses } from '../../shared/dataset'
import type { RunStatus, RunSummary } from '../../shared/runs'
import { StoreError, type Db } from './database'
import { latestCheckpointIteration } from './checkpoints'
import { readHealthAlerts } from './health'
import { latestMetric } from './metrics'

interface RunRow {
  id: number
  name: string
  status: RunStatus
  error: string | null
  config: string
  source: string
  channels: number | null
  backend: string | null
  backend_detail: string | null
  backend_notes: string | null
  classes: string | null
  iteration: number
  epoch: number
  total_iterations: number | null
  train_seconds: number
  health_seconds: number
  owner_pid: number | null
  created_at: number
  updated_at: number
}

export interface NewRun {
  name?: string
  config: RunConfig
  source: string
}

function toSummary(db: Db, row: RunRow): RunSummary {
  const grid = db.prepare('SELECT MAX(iteration) AS it FROM sample_grids WHERE run_id = ?').get(row.id) as { it: number | null }
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    error: row.error,
    config: parseRunConfig(JSON.parse(row.config)),
    source: row.source,
    channels: row.channels as 1 | 3 | null,
    backend: row.backend,
    backendDetail: row.backend_detail ?? row.backend,
    backendNotes: row.backend_notes ? (JSON.parse(row.backend_notes) as string[]) : [],
    classes: row.classes ? (JSON.parse(row.classes) as DatasetClasses) : null,
    iteration: row.iteration,
    epoch: row.epoch,
    totalIterations: row.total_iterations,
    trainSeconds: row.train_seconds,
    healthSeconds: row.health_seconds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastMetrics: latestMetric(db, row.id),
    latestGridIteration: grid.it,
    lastCheckpoint: latestCheckpointIteration(db, row.id),
    health: readHealthAlerts(db, row.id)
  }
}

/** A free name like "mnist-3": the data set's name plus the first unused number. */
export function suggestRunName(db: Db, source: string): string {
  const base =
    (source.startsWith('builtin:') ? source.slice('builtin:'.length) : source.split(/[\\/]/).filter(Boolean).pop() ?? 'run')
      .replace(/[^\w.-]+/g, '-')
      .slice(0, 40) || 'run'
  const taken = new Set((db.prepare('SELECT name FROM runs WHERE name LIKE ?').all(`${base}-%`) as { name: string }[]).map((r) => r.name))
  for (let i = 1; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`
}

export function validateRunName(name: string): string {
  const trimmed = name.trim()
  if (trimmed === '') throw new StoreError('a run name cannot be empty')
  if (trimmed.length > 80) throw new StoreError('a run name can have at most 80 characters')
  if (/^\d+$/.test(trimmed)) throw new StoreError(`"${trimmed}" looks like a run id; a name needs at least one letter`)
  return trimmed
}

export function createRun(db: Db, run: NewRun): RunSummary {
  const name = run.name === undefined ? suggestRunName(db, run.source) : validateRunName(run.name)
  const now = Date.now()
  try {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO runs (name, status, config, seed, source, created_at, updated_at)
         VALUES (?, 'created', ?, ?, ?, ?, ?)`
      )
      .run(name, JSON.stringify(run.config), run.config.seed, run.source, now, now)
    return getRun(db, Number(lastInsertRowid))
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new StoreError(`a run named "${name}" already exists; choose another name`)
    }
    throw error
  }
}

export function getRun(db: Db, id: number): RunSummary {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined
  if (!row) throw new StoreError(`there is no run with id ${id}`)
  return toSummary(db, row)
}

/** A run named by its id or its unique name, as the user typed it. */
export function findRun(db: Db, idOrName: string | number): RunSummary {
  const text = String(idOrName).trim()
  const row = (
    /^\d+$/.test(text)
      ? db.prepare('SELECT * FROM runs WHERE id = ?').get(Number(text))
      : db.prepare('SELECT * FROM runs WHERE name = ?').get(text)
  ) as RunRow | undefined
  if (!row) throw new StoreError(`there is no run "${text}"; \`gan-studio runs\` lists them`)
  return toSummary(db, row)
}

export function listRuns(db: Db): RunSummary[] {
  const rows = db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]
  return rows.map((row) => toSummary(db, row))
}

export interface RunUpdate {
  status?: RunStatus
  error?: string | null
  channels?: number
  backend?: string
  backendDetail?: string
  /** Stored as JSON. */
  backendNotes?: string[]
  /** Stored as JSON. */
  classes?: DatasetClasses
  datasetId?: number
  iteration?: number
  epoch?: number
  totalIterations?: number
  trainSeconds?: number
  healthSeconds?: number
  ownerPid?: number | null
}

const COLUMN_OF: Record<keyof RunUpdate, string> = {
  status: 'status',
  error: 'error',
  channels: 'channels',
  backend: 'backend',
  backendDetail: 'backend_detail',
  backendNotes: 'backend_notes',
  classes: 'classes',
  datasetId: 'dataset_id',
  iteration: 'iteration',
  epoch: 'epoch',
  totalIterations: 'total_iterations',
  trainSeconds: 'train_seconds',
  healthSeconds: 'health_seconds',
  ownerPid: 'owner_pid'
}

export function updateRun(db: Db, id: number, update: RunUpdate): void {
  const keys = (Object.keys(update) as (keyof RunUpdate)[]).filter((k) => update[k] !== undefined)
  const sets = keys.map((k) => `${COLUMN_OF[k]} = ?`)
  const value = (k: keyof RunUpdate) => (k === 'backendNotes' || k === 'classes' ? JSON.stringify(update[k]) : (update[k] ?? null))
  db.prepare(`UPDATE runs SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ?`).run(...keys.map(value), Date.now(), id)
}

export function renameRun(db: Db, id: number, name: string): void {
  const valid = validateRunName(name)
  try {
    db.prepare('UPDATE runs SET name = ?, updated_at = ? WHERE id = ?').run(valid, Date.now(), id)
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StoreError(`a run named "${valid}" already exists`)
    throw error
  }
}

/** Replaces a run's config (a resume with new learning rates); the caller has validated it. */
export function setRunConfig(db: Db, id: number, config: RunConfig): void {
  db.prepare('UPDATE runs SET config = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(config), Date.now(), id)
}

/** Whether a process (this one included) still holds a run: `runId` tells this process's own runs apart. */
export type OwnerAlive = (pid: number, runId: number) => boolean

/**
 * Makes this process the run's owner unless a live process already is. One IMMEDIATE transaction, so two
 * processes claiming at once cannot both win. Returns the live owner's pid when the claim is refused.
 */
export function claimRun(db: Db, id: number, pid: number, isAlive: OwnerAlive): { claimed: true } | { claimed: false; ownerPid: number } {
  return db
    .transaction(() => {
      const row = db.prepare('SELECT owner_pid FROM runs WHERE id = ?').get(id) as { owner_pid: number | null } | undefined
      if (!row) throw new StoreError(`no run with id ${id}`)
      if (row.owner_pid !== null && isAlive(row.owner_pid, id)) return { claimed: false as const, ownerPid: row.owner_pid }
      db.prepare('UPDATE runs SET owner_pid = ?, updated_at = ? WHERE id = ?').run(pid, Date.now(), id)
      return { claimed: true as const }
    })
    .immediate()
}

/** The pid of the process that holds the run, if any (it may have died since). */
export function runOwnerPid(db: Db, id: number): number | null {
  const row = db.prepare('SELECT owner_pid FROM runs WHERE id = ?').get(id) as { owner_pid: number | null } | undefined
  return row?.owner_pid ?? null
}

/** Gives up ownership, if this process still has it. */
export function releaseRun(db: Db, id: number, pid: number): void {
  db.prepare('UPDATE runs SET owner_pid = NULL WHERE id = ? AND owner_pid = ?').run(id, pid)
}

export function deleteRun(db: Db, id: number): void {
  db.prepare('DELETE FROM runs WHERE id = ?').run(id)
}

/**
 * Runs left `running` by a process that is gone (killed, crashed, power cut) become `interrupted`, so the
 * user sees them as resumable. A run whose owner process is still alive is left alone.
 */
export function markInterruptedRuns(db: Db, isAlive: OwnerAlive): number[] {
  const rows = db.prepare("SELECT id, owner_pid FROM runs WHERE status = 'running'").all() as { id: number; owner_pid: number | null }[]
  const dead = rows.filter((r) => r.owner_pid === null || !isAlive(r.owner_pid, r.id)).map((r) => r.id)
  const mark = db.prepare("UPDATE runs SET status = 'interrupted', owner_pid = NULL, updated_at = ? WHERE id = ?")
  db.transaction(() => dead.forEach((id) => mark.run(Date.now(), id)))()
  return dead
}

