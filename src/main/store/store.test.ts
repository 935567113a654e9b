import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import type { MetricRow } from '../../shared/runs'
import {
  appendMetrics,
  createRun,
  deleteRun,
  findRun,
  listCheckpoints,
  listGridIterations,
  listLatents,
  renameLatent,
  listRuns,
  loadCheckpoint,
  loadGrid,
  markInterruptedRuns,
  openDatabase,
  readHealthAlerts,
  readMetrics,
  renameRun,
  replaceHealthAlerts,
  saveHealthAlert,
  saveCheckpoint,
  saveGrid,
  saveLatent,
  setCheckpointPinned,
  truncateMetrics,
  updateRun,
  getDataset,
  upsertDataset,
  type Db
} from '.'
import { MIGRATIONS } from './migrations'

let dir: string
let db: Db

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-store-'))
  db = openDatabase(join(dir, 'runs.db'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const config = parseRunConfig({ imageSize: 32 })
const metric = (iteration: number): MetricRow => ({
  iteration,
  epoch: 0,
  lossD: 1 / iteration,
  lossG: 2,
  dReal: 0.5,
  dFakeBefore: 0.4,
  dFakeAfter: 0.3,
  seconds: 0.1,
  wallTime: 1_700_000_000_000 + iteration
})

describe('run store', () => {
  it('opens in WAL mode with foreign keys and the newest schema, and reopens without migrating twice', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    createRun(db, { config, source: 'builtin:mnist' })
    db.close()
    db = openDatabase(join(dir, 'runs.db'))
    expect(listRuns(db)).toHaveLength(1)
  })

  it('names runs after their data set, finds them by id or name, and refuses duplicate names', () => {
    const a = createRun(db, { config, source: 'builtin:mnist' })
    const b = createRun(db, { config, source: '/photos/cats/' })
    expect(a.name).toBe('mnist-1')
    expect(b.name).toBe('cats-1')
    expect(createRun(db, { config, source: 'builtin:mnist' }).name).toBe('mnist-2')
    expect(findRun(db, String(b.id)).name).toBe('cats-1')
    expect(findRun(db, 'cats-1').id).toBe(b.id)
    expect(() => findRun(db, 'dogs')).toThrow(/no run "dogs"/)
    expect(() => createRun(db, { name: 'cats-1', config, source: 'x' })).toThrow(/already exists/)
    expect(() => renameRun(db, a.id, '42')).toThrow(/looks like a run id/)
    renameRun(db, a.id, 'digits')
    expect(findRun(db, 'digits').config).toEqual(config)
  })

  it('stores metrics in batches and reads them back as columns, NaN included', () => {
    const run = createRun(db, { config, source: 'builtin:mnist' })
    appendMetrics(db, run.id, [metric(1), metric(2), { ...metric(3), lossG: Number.NaN }])
    const series = readMetrics(db, run.id)
    expect(series.iteration).toEqual([1, 2, 3])
    expect(series.lossD[1]).toBeCloseTo(0.5)
    expect(Number.isNaN(series.lossG[2])).toBe(true)
    expect(readMetrics(db, run.id, 2).iteration).toEqual([3])
    truncateMetrics(db, run.id, 1)
    expect(readMetrics(db, run.id).iteration).toEqual([1])
    expect(listRuns(db)[0].lastMetrics?.iteration).toBe(1)
  })

  it('keeps the last K unpinned checkpoints plus the pinned ones', () => {
    const run = createRun(db, { config, source: 'builtin:mnist' })
    const state = (i: number) => new Uint8Array([i, i, i])
    for (const it of [10, 20, 30]) saveCheckpoint(db, run.id, { iteration: it, epoch: 0, reason: 'interval', state: state(it) }, 2)
    setCheckpointPinned(db, run.id, 20, true)
    for (const it of [40, 50]) saveCheckpoint(db, run.id, { iteration: it, epoch: 0, reason: 'interval', state: state(it) }, 2)
    expect(listCheckpoints(db, run.id).map((c) => [c.iteration, c.pinned])).toEqual([
      [20, true],
      [40, false],
      [50, false]
    ])
    expect(Array.from(loadCheckpoint(db, run.id)!.state)).toEqual([50, 50, 50])
    expect(loadCheckpoint(db, run.id, 20)!.info.pinned).toBe(true)
    expect(() => loadCheckpoint(db, run.id, 30)).toThrow(/no checkpoint at iteration 30; saved: 20, 40, 50/)
  })

  it('finds the nearest grid to an iteration', () => {
    const run = createRun(db, { config, source: 'builtin:mnist' })
    for (const it of [0, 100, 200]) saveGrid(db, run.id, it, 64, new Uint8Array([it % 256]))
    expect(listGridIterations(db, run.id)).toEqual([0, 100, 200])
    expect(loadGrid(db, run.id, 140)!.iteration).toBe(100)
    // Halfway between two grids: the later, as the compare screen and the generator choose.
    expect(loadGrid(db, run.id, 150)!.iteration).toBe(200)
    expect(loadGrid(db, run.id)!.iteration).toBe(200)
    expect(findRun(db, run.id).latestGridIteration).toBe(200)
  })

  it("keeps a conditional run's classes with the run, and a data set's in its manifest", () => {
    const classes = { names: ['T-shirt/top', 'Trouser'], counts: [3, 5], unlabeled: 0, from: 'builtin' as const }
    const run = createRun(db, { config: parseRunConfig({ conditional: true }), source: 'builtin:fashion-mnist' })
    expect(run.classes).toBeNull()
    updateRun(db, run.id, { classes, channels: 1 })
    expect(findRun(db, run.id).classes).toEqual(classes)
    const id = upsertDataset(db, { key: 'k', source: 'builtin:fashion-mnist', size: 32, channels: 1, count: 8, files: [], skipped: [], classes })
    expect(getDataset(db, id)!.classes).toEqual(classes)
    expect(getDataset(db, upsertDataset(db, { key: 'flat', source: '/x', size: 32, channels: 1, count: 8, files: [], skipped: [], classes: null }))!.classes).toBeNull()
  })

  it('marks runs left running by a dead process as interrupted, and leaves live ones', () => {
    const a = createRun(db, { config, source: 'builtin:mnist' })
    const b = createRun(db, { config, source: 'builtin:mnist' })
    updateRun(db, a.id, { status: 'running', ownerPid: 999_999 })
    updateRun(db, b.id, { status: 'running', ownerPid: process.pid })
    expect(markInterruptedRuns(db, (pid) => pid === process.pid)).toEqual([a.id])
    expect(findRun(db, a.id).status).toBe('interrupted')
    expect(findRun(db, b.id).status).toBe('running')
  })

  it('renames a saved vector in place, and refuses a name another vector has', () => {
    const run = createRun(db, { config, source: 'builtin:mnist' })
    const a = saveLatent(db, run.id, 'a', [1])
    saveLatent(db, run.id, 'b', [2])
    expect(renameLatent(db, run.id, a.id, ' first ')).toMatchObject({ id: a.id, name: 'first', vector: [1] })
    expect(listLatents(db, run.id).map((l) => l.name)).toEqual(['first', 'b'])
    expect(() => renameLatent(db, run.id, a.id, 'b')).toThrow('another saved vector of this run is called "b"; choose another name')
    expect(listLatents(db, run.id).map((l) => l.vector)).toEqual([[1], [2]])
  })

  it('deletes a run with everything that belongs to it', () => {
    const run = createRun(db, { config, source: 'builtin:mnist' })
    appendMetrics(db, run.id, [metric(1)])
    saveGrid(db, run.id, 0, 64, new Uint8Array([1]))
    saveCheckpoint(db, run.id, { iteration: 1, epoch: 0, reason: 'stop', state: new Uint8Array([1]) }, 3)
    saveLatent(db, run.id, 'smile', [0.5, -1.25])
    saveHealthAlert(db, run.id, { kind: 'divergence', startIteration: 1, endIteration: 1, detail: 'Loss_D NaN' })
    expect(listLatents(db, run.id)[0].vector).toEqual([0.5, -1.25])
    deleteRun(db, run.id)
    for (const table of ['metrics', 'sample_grids', 'checkpoints', 'latent_vectors', 'health_alerts']) {
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 })
    }
  })

  it('keeps health alerts with their stretch, ends an ongoing one in place, and replaces what a resumed run recomputes', () => {
    const run = createRun(db, { config, source: 'builtin:mnist' })
    const collapse = { kind: 'mode-collapse' as const, startIteration: 300, endIteration: null, detail: 'sample diversity 4%' }
    saveHealthAlert(db, run.id, collapse)
    saveHealthAlert(db, run.id, { kind: 'divergence', startIteration: 900, endIteration: 900, detail: 'Loss_D NaN' })
    saveHealthAlert(db, run.id, { kind: 'discriminator-winning', startIteration: 120, endIteration: 400, detail: 'D(x) 0.99' })
    // The same alert (kind and start) ending: one row, now with its end.
    saveHealthAlert(db, run.id, { ...collapse, endIteration: 650 })
    expect(readHealthAlerts(db, run.id).map((a) => [a.kind, a.startIteration, a.endIteration])).toEqual([
      ['discriminator-winning', 120, 400],
      ['mode-collapse', 300, 650],
      ['divergence', 900, 900]
    ])
    expect(findRun(db, run.id).health).toHaveLength(3)
    // A resume recomputes every kind but divergence, which stays as the run's history.
    replaceHealthAlerts(db, run.id, [{ ...collapse, endIteration: null }], ['divergence'])
    expect(readHealthAlerts(db, run.id).map((a) => [a.kind, a.startIteration, a.endIteration])).toEqual([
      ['mode-collapse', 300, null],
      ['divergence', 900, 900]
    ])
  })
})
