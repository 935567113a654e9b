// Starts the core's worker threads. In a build each entry is a bundled .js beside the main bundle (out/cli,
// out/main); from source (tests) a bootstrap registers tsx's require hook and loads the TypeScript entry.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Worker, type TransferListItem } from 'node:worker_threads'

/** Worker entry points, by bundle name, with their source file under src/main. */
export const WORKER_ENTRIES = {
  'training-worker': 'runs/training-worker.ts',
  'generator-worker': 'explore/generator-worker.ts',
  'timing-worker': 'timing/timing-worker.ts',
  'nearest-worker': 'nearest/nearest-worker.ts'
} as const

export type WorkerEntry = keyof typeof WORKER_ENTRIES

export function startWorker(entry: WorkerEntry, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  // A bundler may put this module in a chunk folder below the entry files.
  const bundled = [join(__dirname, `${entry}.js`), join(__dirname, '..', `${entry}.js`)].find((f) => existsSync(f))
  if (bundled) return new Worker(bundled, { workerData, transferList })
  const source = join(__dirname, WORKER_ENTRIES[entry])
  if (!existsSync(source)) throw new Error(`the ${entry} script is missing (looked for ${entry}.js beside ${__dirname})`)
  const bootstrap = `require('tsx/cjs/api').register(); require(${JSON.stringify(source)})`
  return new Worker(bootstrap, { eval: true, workerData, transferList })
}
