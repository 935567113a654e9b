import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunConfigInput } from '../../shared/config'
import { hasDiverged } from '../../shared/runs'
import { listCheckpoints, listGridIterations, loadCheckpoint, readMetrics, readScalars, saveCheckpoint, updateRun } from '../store'
import { decodeCheckpoint, encodeCheckpoint } from '../training/checkpoint'
import { status, waitFor } from '../../../tests/fixtures/run-events'
import sharp from 'sharp'
import { classSwdName } from '../../shared/classes'
import { loadGrid } from '../store'
import { RunManager, type RunManagerEvent } from './manager'

let dir: string
let managers: RunManager[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-runs-'))
})
afterEach(async () => {
  for (const m of managers) await m.close().catch(() => undefined)
  managers = []
  rmSync(dir, { recursive: true, force: true })
})

// Figures after every iteration, so that tests can act at a known iteration.
const settings = { flushRows: 1 }

function manager(): RunManager {
  const m = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache'), settings })
  managers.push(m)
  return m
}

// SWD off (it is tested in the first test, which turns it on).
const tiny: RunConfigInput = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 8, fixedNoiseCount: 4, sampleEvery: 5, checkpointEvery: 5, seed: 11, swdEvery: 0 }

const metricsPast = (iteration: number) => (e: RunManagerEvent['event']) => e.type === 'metrics' && e.rows.some((r) => r.iteration >= iteration)

describe('RunManager with real training in a worker thread', () => {
  it('trains a run to the end, recording metrics, grids and checkpoints', async () => {
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, iterations: 12, swdEvery: 1000 }, source: 'builtin:mnist' })
    expect(run.status).toBe('created')
    const finished = waitFor(m, run.id, status('finished'))
    m.startRun(run.id)
    await finished
    await m.whenIdle(run.id)
    const done = m.getRun(run.id)
    expect(done.status).toBe('finished')
    expect(done.iteration).toBe(12)
    expect(done.backend).toBe('wasm')
    expect(done.channels).toBe(1)
    expect(readMetrics(m.db, run.id).iteration).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(listGridIterations(m.db, run.id)).toEqual([0, 5, 10, 12])
    expect(listCheckpoints(m.db, run.id).map((c) => c.iteration)).toEqual([5, 10, 12])
    // SWD at the end of the run: averaged and per level (32 and 16 px).
    const scalars = readScalars(m.db, run.id)
    // Beside the health checks' figures of every grid (the samples' diversity and how far they moved).
    expect(Object.keys(scalars).sort()).toEqual(['diversity', 'sample_change', 'swd', 'swd_16', 'swd_32'])
    expect(scalars.swd.iteration).toEqual([12])
    expect(scalars.swd.value[0]).toBeGreaterThan(0)
    expect(() => m.startRun(run.id)).toThrow(/finished; it cannot train further/)
  })

  it('pauses after the current iteration, keeps still while paused, and resumes in process', async () => {
    const m = manager()
    // No scheduled grid after iteration 0: the one at the paused iteration comes from the pause.
    const run = await m.createRun({ config: { ...tiny, iterations: 1000, sampleEvery: 1000 }, source: 'builtin:mnist' })
    m.startRun(run.id)
    await waitFor(m, run.id, metricsPast(3))
    const paused = waitFor(m, run.id, status('paused'))
    m.pauseRun(run.id)
    await paused
    const at = m.getRun(run.id).iteration
    expect(listCheckpoints(m.db, run.id).some((c) => c.reason === 'pause' && c.iteration === at)).toBe(true)
    // A checkpoint asked for while paused goes through the paused session: still at the same iteration.
    const manual = waitFor(m, run.id, (e) => e.type === 'checkpoint' && e.checkpoint.reason === 'manual')
    m.checkpointRun(run.id)
    expect(((await manual) as { checkpoint: { iteration: number } }).checkpoint.iteration).toBe(at)
    expect(m.getRun(run.id).iteration).toBe(at)
    // The pause left samples at the paused iteration, not only the last scheduled grid.
    expect(listGridIterations(m.db, run.id)).toContain(at)
    expect(m.isActive(run.id)).toBe(true)
    m.startRun(run.id)
    await waitFor(m, run.id, metricsPast(at + 3))
    const stopped = waitFor(m, run.id, status('stopped'))
    m.stopRun(run.id)
    await stopped
    await m.whenIdle(run.id)
    expect(m.isActive(run.id)).toBe(false)
    const final = m.getRun(run.id)
    expect(final.status).toBe('stopped')
    expect(readMetrics(m.db, run.id).iteration).toEqual(Array.from({ length: final.iteration }, (_, i) => i + 1))
  })

  it('a run stopped before its first scheduled grid and SWD shows both at the iteration it stopped at', async () => {
    const m = manager()
    // Automatic SWD (first at iteration 50) and grids every 100: a stop at a few iterations had neither.
    const { swdEvery: _, ...auto } = tiny
    const run = await m.createRun({ config: { ...auto, iterations: 1000, sampleEvery: 100 }, source: 'builtin:mnist' })
    m.startRun(run.id)
    await waitFor(m, run.id, metricsPast(3))
    const stopped = waitFor(m, run.id, status('stopped'))
    m.stopRun(run.id)
    await stopped
    await m.whenIdle(run.id)
    const at = m.getRun(run.id).iteration
    expect(at).toBeLessThan(50)
    expect(listGridIterations(m.db, run.id)).toEqual([0, at])
    const swd = readScalars(m.db, run.id).swd
    expect(swd.iteration).toEqual([at])
    expect(swd.value[0]).toBeGreaterThan(0)
  })

  it('a conditional run with hinge, DiffAugment and EMA leaves grids a row per digit at its pause and stop, with the health figures and SWD per class', async () => {
    const m = manager()
    const { swdEvery: _, ...auto } = tiny
    const config = { ...auto, conditional: true, loss: 'hinge' as const, augment: ['translation' as const, 'cutout' as const], ema: 0.9, iterations: 1000, sampleEvery: 1000 }
    const run = await m.createRun({ config, source: 'builtin:mnist' })
    /** Rows and columns of a saved grid's tiles (32 px images with 2 px padding). */
    const tilesAt = async (iteration: number) => {
      const grid = loadGrid(m.db, run.id, iteration)!
      expect(grid.iteration).toBe(iteration)
      const { width, height } = await sharp(grid.png).metadata()
      return { rows: (height! - 2) / 34, columns: (width! - 2) / 34 }
    }
    m.startRun(run.id)
    await waitFor(m, run.id, metricsPast(3))
    const paused = waitFor(m, run.id, status('paused'))
    m.pauseRun(run.id)
    await paused
    const pausedAt = m.getRun(run.id).iteration
    expect(await tilesAt(pausedAt)).toEqual({ rows: 10, columns: 8 })
    // The health checks read the same 80 images.
    expect(readScalars(m.db, run.id).diversity.iteration).toContain(pausedAt)
    m.startRun(run.id)
    await waitFor(m, run.id, metricsPast(pausedAt + 2))
    const stopped = waitFor(m, run.id, status('stopped'))
    m.stopRun(run.id)
    await stopped
    await m.whenIdle(run.id)
    const stoppedAt = m.getRun(run.id).iteration
    expect(await tilesAt(stoppedAt)).toEqual({ rows: 10, columns: 8 })
    const scalars = readScalars(m.db, run.id)
    expect(scalars.swd.iteration).toEqual([stoppedAt])
    for (let k = 0; k < 10; k++) expect(scalars[classSwdName(k)].iteration, `digit ${k}`).toEqual([stoppedAt])
  })

  it('resumes after the manager closed with the same losses an uninterrupted run has', async () => {
    const config = { ...tiny, iterations: 60, checkpointEvery: 1000 }
    const first = manager()
    const straight = await first.createRun({ config, source: 'builtin:mnist', name: 'straight' })
    const split = await first.createRun({ config, source: 'builtin:mnist', name: 'split' })
    first.startRun(straight.id)
    await first.whenIdle(straight.id)
    first.startRun(split.id)
    await waitFor(first, split.id, metricsPast(4))
    await first.close() // suspends: checkpoint, run left paused
    const closed = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache'), settings })
    managers.push(closed)
    const pausedAt = closed.getRun(split.id)
    expect(pausedAt.status).toBe('paused')
    expect(pausedAt.iteration).toBeGreaterThanOrEqual(4)
    expect(pausedAt.iteration).toBeLessThan(60)
    closed.startRun(split.id)
    await closed.whenIdle(split.id)
    expect(closed.getRun(split.id).status).toBe('finished')
    const a = readMetrics(closed.db, straight.id)
    const b = readMetrics(closed.db, split.id)
    expect(b.iteration).toEqual(a.iteration)
    expect(b.lossD).toEqual(a.lossD)
    expect(b.lossG).toEqual(a.lossG)
    expect(b.dFakeAfter).toEqual(a.dFakeAfter)
  })

  it('marks a run left running by a dead process as interrupted on start, and can resume it', async () => {
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, iterations: 3 }, source: 'builtin:mnist' })
    updateRun(m.db, run.id, { status: 'running', ownerPid: 2 ** 22 + 12345 })
    await m.close()
    managers = []
    const next = manager()
    expect(next.getRun(run.id).status).toBe('interrupted')
    next.startRun(run.id)
    await next.whenIdle(run.id)
    expect(next.getRun(run.id).status).toBe('finished')
  })

  it('refuses to create a run from a missing folder, and fails a run whose folder has no usable image', async () => {
    const m = manager()
    await expect(m.createRun({ config: tiny, source: join(dir, 'no-such-folder') })).rejects.toThrow(/no-such-folder does not exist/)
    expect(m.listRuns()).toHaveLength(0)
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    writeFileSync(join(empty, 'notes.txt'), 'not an image')
    const run = await m.createRun({ config: { ...tiny, iterations: 3 }, source: empty })
    m.startRun(run.id)
    await m.whenIdle(run.id)
    const failed = m.getRun(run.id)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/empty/)
  })
})

describe('a diverging run', () => {
  it('pauses with a message when a loss becomes NaN, and keeps its last good checkpoint', async () => {
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, iterations: 50, checkpointEvery: 2 }, source: 'builtin:mnist' })
    m.startRun(run.id)
    await waitFor(m, run.id, metricsPast(2))
    m.stopRun(run.id)
    await m.whenIdle(run.id)
    // Poison the newest checkpoint's discriminator, as a run that blew up just before it was saved would be.
    const saved = loadCheckpoint(m.db, run.id)!
    const { snapshot, trainSeconds } = decodeCheckpoint(saved.state)
    snapshot.discriminator[0].fill(Number.NaN)
    saveCheckpoint(m.db, run.id, { iteration: saved.info.iteration, epoch: saved.info.epoch, reason: 'stop', state: encodeCheckpoint(snapshot, trainSeconds) }, 3)
    const paused = waitFor(m, run.id, status('paused'))
    m.startRun(run.id)
    const event = await paused
    await m.whenIdle(run.id)
    const after = m.getRun(run.id)
    expect(after.status).toBe('paused')
    expect(after.error).toMatch(new RegExp(`diverged at iteration ${saved.info.iteration + 1} \\(Loss_D NaN`))
    expect(event.type === 'status' && event.error).toMatch(/lower learning rate/)
    expect(hasDiverged(after)).toBe(true)
    // The NaN iteration is recorded (the curve shows where it happened); no checkpoint of NaN weights.
    expect(readMetrics(m.db, run.id).lossD.at(-1)).toBeNaN()
    expect(listCheckpoints(m.db, run.id).at(-1)!.iteration).toBe(saved.info.iteration)
  })
})

describe('changing course', () => {
  it('continues a stopped run from its checkpoint with new learning rates, and refuses invalid ones', async () => {
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, iterations: 12 }, source: 'builtin:mnist' })
    m.startRun(run.id)
    await waitFor(m, run.id, metricsPast(3))
    m.stopRun(run.id)
    await m.whenIdle(run.id)
    await expect(m.resumeWith(run.id, { lrD: -1 })).rejects.toThrow(/discriminator learning rate/)
    expect(m.getRun(run.id).config.lrD).toBe(0.0002)
    await m.resumeWith(run.id, { lrD: 0.0001, lrG: undefined })
    await m.whenIdle(run.id)
    const done = m.getRun(run.id)
    expect(done.status).toBe('finished')
    expect(done.config).toMatchObject({ lrD: 0.0001, lrG: 0.0002 })
  })

  it('stops or pauses while the data set is still being prepared, without training or saving anything', async () => {
    const m = manager()
    for (const [command, expected] of [
      ['stop', 'stopped'],
      ['pause', 'paused']
    ] as const) {
      const run = await m.createRun({ config: { ...tiny, iterations: 12 }, source: 'builtin:mnist' })
      m.startRun(run.id)
      if (command === 'stop') m.stopRun(run.id)
      else m.pauseRun(run.id)
      await m.whenIdle(run.id)
      const after = m.getRun(run.id)
      expect(after.status, command).toBe(expected)
      expect(after.iteration, command).toBe(0)
      expect(listCheckpoints(m.db, run.id), command).toHaveLength(0)
      expect(readMetrics(m.db, run.id).iteration, command).toHaveLength(0)
    }
  })
})

describe('one owner per run', () => {
  it('refuses to resume, stop or delete a run that another manager holds paused in memory', async () => {
    const owner = manager()
    const run = await owner.createRun({ config: { ...tiny, iterations: 12 }, source: 'builtin:mnist' })
    owner.startRun(run.id)
    await waitFor(owner, run.id, metricsPast(2))
    const paused = waitFor(owner, run.id, status('paused'))
    owner.pauseRun(run.id)
    await paused
    // Another process (here: another manager of the same database) sees a paused run it must not touch.
    const other = manager()
    expect(other.getRun(run.id).status).toBe('paused')
    expect(() => other.startRun(run.id)).toThrow(/open in another GAN Studio process/)
    expect(() => other.stopRun(run.id)).toThrow(/open in another GAN Studio process/)
    await expect(other.deleteRun(run.id)).rejects.toThrow(/open in another GAN Studio process/)
    owner.startRun(run.id)
    await owner.whenIdle(run.id)
    expect(owner.getRun(run.id).status).toBe('finished')
    // Once the session is over, the run is free for anyone.
    await other.deleteRun(run.id)
    expect(other.listRuns()).toHaveLength(0)
  })

  it('treats a run left running under this process id, but with no session here, as interrupted (pids repeat)', async () => {
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, iterations: 3 }, source: 'builtin:mnist' })
    updateRun(m.db, run.id, { status: 'running', ownerPid: process.pid })
    const next = manager()
    expect(next.getRun(run.id).status).toBe('interrupted')
  })
})
