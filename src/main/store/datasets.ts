// Data set manifests: where the images came from, which files were used and which were skipped and why.
import type { DatasetClasses } from '../../shared/dataset'
import type { Db } from './database'

export interface DatasetRecord {
  key: string
  source: string
  size: number
  channels: 1 | 3
  count: number
  files: string[]
  skipped: { path: string; reason: string; detail: string }[]
  /** Its classes (subfolders, a built-in set's labels), or null. */
  classes: DatasetClasses | null
}

/** Records a prepared data set (once per key) and returns its id. */
export function upsertDataset(db: Db, record: DatasetRecord): number {
  db.prepare(
    `INSERT INTO datasets (key, source, size, channels, count, files, skipped, classes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO NOTHING`
  ).run(
    record.key,
    record.source,
    record.size,
    record.channels,
    record.count,
    JSON.stringify(record.files),
    JSON.stringify(record.skipped),
    record.classes === null ? null : JSON.stringify(record.classes),
    Date.now()
  )
  return (db.prepare('SELECT id FROM datasets WHERE key = ?').get(record.key) as { id: number }).id
}

export function getDataset(db: Db, id: number): DatasetRecord | null {
  const row = db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as
    | { key: string; source: string; size: number; channels: 1 | 3; count: number; files: string; skipped: string; classes: string | null }
    | undefined
  if (!row) return null
  return { ...row, files: JSON.parse(row.files), skipped: JSON.parse(row.skipped), classes: row.classes === null ? null : JSON.parse(row.classes) }
}
