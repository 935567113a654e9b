// Trains a run with the CLI into a test's database, as a user would before opening the app.
import { expect } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(__dirname, '..')

/** `gan-studio train` with these flags into `dir`'s database and cache; fails the test when it fails. */
export function trainWithCli(dir: string, flags: string[]): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'gan-studio.js'), 'train', ...flags, '--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  expect(result.status, result.stderr).toBe(0)
}

/** A small, fast run on a built-in data set: 32 px, ngf = ndf = 8, batch 16. */
export function trainSmallRun(dir: string, name: string, data: string, iterations: number, every: number, more: string[] = []): void {
  trainWithCli(dir, ['--data', data, '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16', '--iterations', String(iterations),
    '--sample-every', String(every), '--checkpoint-every', String(every), '--name', name, ...more])
}
