// What every store-backed command shares: where the database and the cache are (--db, --cache), and
// opening the database so that a mistyped --db is an error rather than a new, empty database.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defaultCacheDir, defaultDataDir } from '../paths'
import { RunManager } from '../runs/manager'
import { openDatabase, StoreError, type Db } from '../store'
import type { OptionSpec } from './usage'

export const STORE_OPTIONS: OptionSpec = {
  db: { type: 'string' },
  cache: { type: 'string' }
}

export const STORE_HELP = `  --db <file>            the run database (default ${join(defaultDataDir(), 'runs.db')})
  --cache <dir>          preprocessed image cache (default ${defaultCacheDir()})`

export function storePaths(values: Record<string, unknown>): { dbPath: string; cacheDir: string } {
  return {
    dbPath: values.db ? resolve(String(values.db)) : join(defaultDataDir(), 'runs.db'),
    cacheDir: values.cache ? resolve(String(values.cache)) : defaultCacheDir()
  }
}

function noDatabase(path: string): StoreError {
  return new StoreError(`no database at ${path}: check --db, or train a run first`)
}

/** Store errors from opening name the option that chose the file; only `create` may make a new one. */
function opening<T>(path: string, create: boolean, open: () => T): T {
  if (!create && !existsSync(path)) throw noDatabase(path)
  try {
    return open()
  } catch (error) {
    if (!(error instanceof StoreError)) throw error
    if (!existsSync(path)) throw noDatabase(path)
    throw new StoreError(`${error.message} (check --db)`)
  }
}

/**
 * The runs of the database --db names. Only commands that start runs (`train`, `serve`) pass `create`;
 * for every other one a missing file is a mistyped --db, not a new empty database.
 */
export function openManager(values: Record<string, unknown>, options: { create?: boolean } = {}): RunManager {
  const paths = storePaths(values)
  // RunManager itself would create a missing file; opening() refuses first unless the command may create.
  return opening(paths.dbPath, options.create ?? false, () => new RunManager(paths))
}

/** The database alone (for commands that only read it), which must already exist. */
export function openStore(values: Record<string, unknown>): Db {
  const { dbPath } = storePaths(values)
  return opening(dbPath, false, () => openDatabase(dbPath, { mustExist: true }))
}
