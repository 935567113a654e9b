// What every store-backed command shares: where the database and the cache are (--db, --cache).
import { join, resolve } from 'node:path'
import { defaultCacheDir, defaultDataDir } from '../paths'
import { RunManager } from '../runs/manager'
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

export function openManager(values: Record<string, unknown>): RunManager {
  return new RunManager(storePaths(values))
}
