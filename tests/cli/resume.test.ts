// `gan-studio resume --lr-d/--lr-g/--lr`: the way on after a run diverged, through the real CLI.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunConfigInput } from '../../src/shared/config'
import { RunManager } from '../../src/main/runs/manager'
import { readMetrics } from '../../src/main/store'
import { buildCli, runCli, runState, startCli, waitForRun } from './run-cli'

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
    const config: RunConfigInput = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 8, fixedNoiseCount: 4, iterations: 8, checkpointEvery: 2, swdEvery: 0 }
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

describe('pause and resume across processes', () => {
  it('Ctrl-C in one process and resume in another give the same losses as an uninterrupted run', async () => {
    const flags = ['--db', join(dir, 'across.db'), '--cache', join(dir, 'cache')]
    const train = ['train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--nz', '16', '--batch', '16', '--iterations', '300', '--seed', '5']
    const straight = await runCli([...train, '--name', 'straight', ...flags])
    expect(straight.code, straight.stderr).toBe(0)

    const child = startCli([...train, '--name', 'split', ...flags])
    // Ctrl-C once training is under way (its figures reach the database), not after a guessed delay.
    await waitForRun(join(dir, 'across.db'), 'split', (run) => run.iteration >= 5)
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    const manager = new RunManager({ dbPath: join(dir, 'across.db'), cacheDir: join(dir, 'cache') })
    const paused = manager.getRun('split')
    await manager.close()
    expect(paused.status).toBe('paused')
    expect(paused.iteration).toBeGreaterThan(0)
    expect(paused.iteration).toBeLessThan(300)

    const resumed = await runCli(['resume', 'split', ...flags])
    expect(resumed.code, resumed.stderr).toBe(0)
    const after = new RunManager({ dbPath: join(dir, 'across.db'), cacheDir: join(dir, 'cache') })
    const a = readMetrics(after.db, after.getRun('straight').id)
    const b = readMetrics(after.db, after.getRun('split').id)
    await after.close()
    expect(b.iteration).toEqual(a.iteration)
    expect(b.lossD).toEqual(a.lossD)
    expect(b.lossG).toEqual(a.lossG)
    expect(b.dReal).toEqual(a.dReal)
  }, 300_000)
})

describe('a run killed outright, or sent SIGTERM', () => {
  const flags = () => ['--db', join(dir, 'signals.db'), '--cache', join(dir, 'cache')]
  // A checkpoint every 7 iterations: a kill loses the iterations after the newest one, which are redone.
  const train = ['train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--nz', '16', '--batch', '16', '--iterations', '60', '--seed', '9', '--checkpoint-every', '7']

  it('SIGKILL and resume give the same losses as an uninterrupted run', async () => {
    const straight = await runCli([...train, '--name', 'uninterrupted', ...flags()])
    expect(straight.code, straight.stderr).toBe(0)

    const child = startCli([...train, '--name', 'killed', ...flags()])
    // Killed between two checkpoints, with iterations after the newest one.
    const at = await waitForRun(join(dir, 'signals.db'), 'killed', (run) => (run.checkpoint ?? 0) >= 14 && run.iteration > (run.checkpoint ?? 0))
    const exited = new Promise((r) => child.on('close', r))
    child.kill('SIGKILL')
    await exited
    expect(at.iteration).toBeLessThan(60)

    const resumed = await runCli(['resume', 'killed', ...flags()])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toMatch(/Resuming from the checkpoint at iteration \d+/)
    const manager = new RunManager({ dbPath: join(dir, 'signals.db'), cacheDir: join(dir, 'cache') })
    const a = readMetrics(manager.db, manager.getRun('uninterrupted').id)
    const b = readMetrics(manager.db, manager.getRun('killed').id)
    expect(manager.getRun('killed').status).toBe('finished')
    await manager.close()
    expect(b.iteration).toEqual(a.iteration)
    expect(b.lossD).toEqual(a.lossD)
    expect(b.lossG).toEqual(a.lossG)
    expect(b.dFakeAfter).toEqual(a.dFakeAfter)
  }, 300_000)

  it('SIGTERM saves a checkpoint and leaves the run paused, as Ctrl-C does', async () => {
    const child = startCli([...train, '--name', 'terminated', ...flags()])
    await waitForRun(join(dir, 'signals.db'), 'terminated', (run) => run.iteration >= 3)
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const state = runState(join(dir, 'signals.db'), 'terminated')!
    expect(state.status).toBe('paused')
    expect(state.iteration).toBeGreaterThanOrEqual(3)
    expect(state.checkpoint).toBe(state.iteration)
  }, 300_000)
})
