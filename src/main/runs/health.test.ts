// Training health on real runs in worker-thread sessions, built to fail (a 64-image folder, a huge G learning
// rate, a generator collapsed by construction) and one healthy MNIST run that must raise nothing. Tiny
// models, a few hundred iterations at most.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunConfigInput } from '../../shared/config'
import { healthAdvice, type HealthAlert, type HealthKind } from '../../shared/health'
import { writeImageFolder } from '../../../tests/fixtures/image-folder'
import { collapseGenerator } from '../../../tests/fixtures/collapsed-generator'
import { readHealthAlerts, readScalars } from '../store'
import { DIVERSITY_SCALAR, SAMPLE_CHANGE_SCALAR } from '../health/monitor'
import { status, waitFor } from '../../../tests/fixtures/run-events'
import { RunManager, type RunManagerEvent } from './manager'

let dir: string
let managers: RunManager[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-health-'))
})
afterEach(async () => {
  for (const m of managers) await m.close().catch(() => undefined)
  managers = []
  rmSync(dir, { recursive: true, force: true })
})

function manager(): RunManager {
  const m = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache'), settings: { flushRows: 10 } })
  managers.push(m)
  return m
}

const alerted = (kind: HealthKind) => (e: RunManagerEvent['event']) => e.type === 'health' && e.alerts.some((a) => a.kind === kind)
const kinds = (alerts: HealthAlert[]) => alerts.map((a) => a.kind)

const tiny: RunConfigInput = { imageSize: 32, ngf: 8, ndf: 8, nz: 16, batchSize: 16, fixedNoiseCount: 32, seed: 1, swdEvery: 0 }

describe('training health on runs built to fail', () => {
  it('a 64-image folder: the discriminator wins, the alert is stored, sent and kept across a resume', { timeout: 600_000 }, async () => {
    const folder = join(dir, 'few photos')
    await writeImageFolder(folder, 64)
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, iterations: 1000, sampleEvery: 50, checkpointEvery: 100 }, source: folder })
    const raised = waitFor(m, run.id, alerted('discriminator-winning'))
    m.startRun(run.id)
    const event = await raised
    const alert = (event as Extract<RunManagerEvent['event'], { type: 'health' }>).alerts.find((a) => a.kind === 'discriminator-winning')!
    expect(alert.endIteration).toBeNull()
    // Dated from where the stretch began, well before it was sure enough to tell.
    expect(alert.startIteration).toBeGreaterThan(100)
    expect(alert.startIteration).toBeLessThan(m.getRun(run.id).iteration - 150)
    expect(alert.detail).toMatch(/^D\(x\) 0\.9\d\d and D\(G\(z\)\) 0\.0\d\d while Loss_G went from [\d.]+ to [\d.]+/)
    await m.close()

    // The run resumes from its checkpoint: the alert is found again from the stored figures, not doubled.
    const next = manager()
    expect(kinds(next.getRun(run.id).health)).toEqual(['discriminator-winning'])
    const resumedAt = next.getRun(run.id).iteration
    const more = waitFor(next, run.id, (e) => e.type === 'metrics' && e.rows.some((r) => r.iteration >= resumedAt + 20))
    next.startRun(run.id)
    await more
    const paused = waitFor(next, run.id, status('paused'))
    next.pauseRun(run.id)
    await paused
    const after = readHealthAlerts(next.db, run.id)
    expect(after).toEqual([{ ...alert, detail: after[0].detail }])
    expect(next.getRun(run.id).healthSeconds).toBeGreaterThan(0)
  })

  it('a huge G learning rate: the samples jump from grid to grid (instability)', { timeout: 300_000 }, async () => {
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, lrG: 0.05, iterations: 120, sampleEvery: 20 }, source: 'builtin:mnist' })
    m.startRun(run.id)
    await m.whenIdle(run.id)
    const alerts = readHealthAlerts(m.db, run.id)
    expect(kinds(alerts)).toEqual(['instability'])
    expect(alerts[0].startIteration).toBe(20)
    expect(alerts[0].detail).toMatch(/^the same noise gives a different image at every grid: it changed by \d+\.\dx the distance between two samples$/)
    const scalars = readScalars(m.db, run.id)
    expect(scalars[SAMPLE_CHANGE_SCALAR].iteration).toEqual([20, 40, 60, 80, 100, 120])
    expect(Math.min(...scalars[SAMPLE_CHANGE_SCALAR].value)).toBeGreaterThan(0.25)
  })

  it('a generator collapsed by construction: mode collapse, and its suggested fix applies in one call', { timeout: 300_000 }, async () => {
    const m = manager()
    const run = await m.createRun({ config: { ...tiny, iterations: 1000, sampleEvery: 10, checkpointEvery: 10 }, source: 'builtin:mnist' })
    const stopped = waitFor(m, run.id, status('stopped'))
    m.startRun(run.id)
    await waitFor(m, run.id, (e) => e.type === 'checkpoint')
    m.stopRun(run.id)
    await stopped
    await m.whenIdle(run.id)
    // Every noise vector gives the same image, and a learning rate of 1e-12 keeps it so.
    collapseGenerator(m.db, run.id)
    const raised = waitFor(m, run.id, alerted('mode-collapse'))
    await m.resumeWith(run.id, { lrG: 1e-12 })
    await raised
    const [alert] = m.getRun(run.id).health
    expect(alert).toMatchObject({ kind: 'mode-collapse', endIteration: null })
    expect(alert.detail).toMatch(/^sample diversity 0% of the real images' and not rising$/)
    const diversity = readScalars(m.db, run.id)[DIVERSITY_SCALAR]
    expect(Math.max(...diversity.value.slice(-5))).toBeLessThan(0.01)

    // "Continue with label smoothing 0.1": a checkpoint now, then on from it with the change.
    const actions = healthAdvice('mode-collapse', m.getRun(run.id).config).actions
    expect(actions.map((a) => a.label)).toEqual(['Continue at half the learning rates', 'Continue with label smoothing 0.1'])
    const at = m.getRun(run.id).iteration
    const continued = waitFor(m, run.id, (e) => e.type === 'started')
    await m.resumeWith(run.id, actions[1].change)
    expect(((await continued) as Extract<RunManagerEvent['event'], { type: 'started' }>).resumedFrom).toBeGreaterThanOrEqual(at)
    expect(m.getRun(run.id).config.labelSmoothing).toBe(0.1)
    const stoppedAgain = waitFor(m, run.id, status('stopped'))
    m.stopRun(run.id)
    await stoppedAgain
  })
})

describe('training health on a healthy run', () => {
  it('a balanced DCGAN on MNIST raises nothing (and records its samples’ diversity rising)', { timeout: 600_000 }, async () => {
    const m = manager()
    const config: RunConfigInput = { imageSize: 32, ngf: 16, ndf: 8, nz: 32, batchSize: 16, fixedNoiseCount: 64, seed: 1, iterations: 400, sampleEvery: 40, swdEvery: 80 }
    const run = await m.createRun({ config, source: 'builtin:mnist' })
    m.startRun(run.id)
    await m.whenIdle(run.id)
    const done = m.getRun(run.id)
    expect(done.status).toBe('finished')
    expect(done.health).toEqual([])
    const scalars = readScalars(m.db, run.id)
    const diversity = scalars[DIVERSITY_SCALAR].value
    expect(diversity[diversity.length - 1]).toBeGreaterThan(0.4)
    // Enough SWD measurements for the no-progress check to have looked (it needs 5 without progress).
    expect(scalars.swd.iteration).toEqual([80, 160, 240, 320, 400])
    console.log(`health checks: ${done.healthSeconds.toFixed(3)} s of ${done.trainSeconds.toFixed(1)} s of training (${((100 * done.healthSeconds) / done.trainSeconds).toFixed(2)}%)`)
  })
})
