// `gan-studio resume --lr-d/--lr-g/--lr`: the way on after a run diverged, through the real CLI.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunManager } from '../../src/main/runs/manager'
import { buildCli, runCli } from './run-cli'

let dir: string
beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-resume-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('gan-studio resume with new learning rates', () => {
  it('continues a run with the rates given, keeps the other rate, and refuses bad rates with exit 2', async () => {
    const store = { dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') }
    const manager = new RunManager(store)
    const config = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 8, fixedNoiseCount: 4, iterations: 8, checkpointEvery: 2, swdEvery: 0 }
    const run = await manager.createRun({ config, source: 'builtin:mnist', name: 'slow-down' })
    await manager.close()
    const flags = ['--db', store.dbPath, '--cache', store.cacheDir]

    const bad = await runCli(['resume', 'slow-down', '--lr', '5', ...flags])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--lr must be a learning rate between 0 and 1/)
    const both = await runCli(['resume', 'slow-down', '--lr', '0.001', '--lr-g', '0.001', ...flags])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/not both/)

    const resumed = await runCli(['resume', 'slow-down', '--lr-d', '0.0001', ...flags])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toMatch(/Learning rates: D 0\.0002 -> 0\.0001, G 0\.0002 -> 0\.0002/)
    const after = new RunManager(store)
    expect(after.getRun(run.id)).toMatchObject({ status: 'finished', iteration: 8, config: { lrD: 0.0001, lrG: 0.0002 } })
    await after.close()
  }, 180_000)
})
