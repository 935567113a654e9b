// A run survives being killed at any moment: SIGKILL the training process 20+ times, at random points
// (startup, iterations, grid and checkpoint writes), and check the database after every kill.
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../src/shared/random'
import { RunManager } from '../../src/main/runs/manager'
import { listCheckpoints, loadCheckpoint, readMetrics } from '../../src/main/store'
import { decodeCheckpoint } from '../../src/main/training/checkpoint'
import { buildCli, runCli, startCli, waitForOutput } from './run-cli'

let dir: string
beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-kill-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const KILLS = 20
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitForFile(file: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no checkpoint write began within ${timeoutMs} ms`)
    await sleep(5)
  }
}

describe('SIGKILL during training', () => {
  it(`leaves a sound database and a resumable run, ${KILLS} times in a row`, async () => {
    const store = ['--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')]
    // Wide enough that a checkpoint takes a while to write (about 10 MB), checkpoints every 2 iterations.
    const train = ['train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '48', '--ndf', '48', '--batch', '8',
      '--iterations', '100000', '--checkpoint-every', '2', '--sample-every', '3', '--name', 'crash', ...store]
    const random = new Random(2024, 'kill-test')
    // The training process marks checkpoint writes with this file and holds each write open for 400 ms.
    const marker = join(dir, 'checkpoint-being-written')
    const probe = { GAN_STUDIO_TEST_CHECKPOINT_MARKER: marker, GAN_STUDIO_TEST_CHECKPOINT_HOLD_MS: '400' }
    let killedMidCheckpoint = 0
    let lastComplete: number | null = null
    for (let round = 0; round < KILLS; round++) {
      const child = startCli(round === 0 ? train : ['resume', 'crash', ...store], probe)
      const output = await waitForOutput(child, /Training \d+ iterations|Resuming from the checkpoint at iteration (\d+)/)
      if (round > 0) {
        // The new session starts from the newest checkpoint that was complete when the last one died.
        const resumedFrom = /Resuming from the checkpoint at iteration (\d+)/.exec(output)
        expect(resumedFrom ? Number(resumedFrom[1]) : null).toBe(lastComplete)
      }
      if (round % 2 === 1) {
        // Every other round aims at a checkpoint write: wait until one begins, then kill within its hold.
        await waitForFile(marker)
        await sleep(random.int(300))
      } else {
        await sleep(100 + random.int(1400))
      }
      const exited = new Promise((r) => child.on('close', r))
      child.kill('SIGKILL')
      await exited
      if (existsSync(marker)) killedMidCheckpoint++
      rmSync(marker, { force: true })

      const raw = new Database(join(dir, 'runs.db'))
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
      raw.close()
      const manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
      const run = manager.getRun('crash')
      expect(run.status).toBe('interrupted')
      for (const info of listCheckpoints(manager.db, run.id)) {
        const { snapshot } = decodeCheckpoint(loadCheckpoint(manager.db, run.id, info.iteration)!.state)
        expect(snapshot.iteration).toBe(info.iteration)
      }
      lastComplete = listCheckpoints(manager.db, run.id).at(-1)?.iteration ?? null
      await manager.close()
      if (round === KILLS - 1 && (lastComplete ?? 0) < run.iteration) {
        // `show` tells the user that the iterations after the newest checkpoint will be redone.
        const shown = await runCli(['show', 'crash', ...store])
        expect(shown.stdout).toContain(`resuming continues from the checkpoint at iteration ${lastComplete ?? 0}`)
      }
    }

    // Half the rounds aimed at a checkpoint write; the random ones may have hit one too.
    expect(killedMidCheckpoint).toBeGreaterThanOrEqual(KILLS / 2)
    console.log(`${killedMidCheckpoint} of ${KILLS} kills landed in the middle of a checkpoint write`)

    // A last resume, ended by Ctrl-C: a checkpoint, the run paused, exit 0, and curves without gaps or repeats.
    const child = startCli(['resume', 'crash', ...store])
    await waitForOutput(child, /iter \d+/)
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    const manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
    const run = manager.getRun('crash')
    expect(run.status).toBe('paused')
    expect(listCheckpoints(manager.db, run.id).at(-1)?.iteration).toBe(run.iteration)
    const iterations = readMetrics(manager.db, run.id).iteration
    expect(iterations).toEqual(Array.from({ length: run.iteration }, (_, i) => i + 1))
    await manager.close()
    const shown = await runCli(['show', 'crash', ...store])
    expect(shown.stdout).toMatch(/"crash": paused/)
  }, 600_000)
})
