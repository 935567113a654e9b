// Opens the run database: WAL mode (readers never block the training writer), foreign keys on, and the
// schema migrated to the newest version in one transaction.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { MIGRATIONS } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  readonly?: boolean
  /**
   * Open only a database that is already there (better-sqlite3's fileMustExist): for commands that read or
   * change existing runs, where a mistyped path must not leave a new empty database (and folders) behind.
   */
  mustExist?: boolean
}

export class StoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreError'
  }
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const mustExist = options.mustExist ?? false
  if (path !== ':memory:' && !mustExist) mkdirSync(dirname(path), { recursive: true })
  let db: Db
  try {
    db = new Database(path, { nativeBinding: options.nativeBinding, readonly: options.readonly ?? false, fileMustExist: mustExist, timeout: 10_000 })
  } catch (error) {
    if (mustExist && !existsSync(path)) throw new StoreError(`no run database at ${path}`)
    throw new StoreError(`cannot open the run database ${path}: ${(error as Error).message}`)
  }
  try {
    // SQLite reads the file only now: a file that is not a database fails here ("file is not a database").
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode: a killed process never corrupts the file; only a power cut may lose the last commits.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // Metric reads concatenate blobs as text, which keeps their bytes only in a UTF-8 database.
    if (db.pragma('encoding', { simple: true }) !== 'UTF-8') {
      throw new StoreError(`the run database ${path} is not UTF-8 encoded; GAN Studio cannot use it`)
    }
  } catch (error) {
    db.close()
    if (error instanceof StoreError) throw error
    throw new StoreError(`cannot open the run database ${path}: ${(error as Error).message}`)
  }
  if (!options.readonly) {
    try {
      migrate(db, path)
    } catch (error) {
      db.close()
      throw error
    }
  }
  return db
}

function migrate(db: Db, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > MIGRATIONS.length) {
    throw new StoreError(`the run database ${path} was written by a newer GAN Studio (schema ${version}); update GAN Studio to open it`)
  }
  if (version === MIGRATIONS.length) return
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v])
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  }).immediate()
}
