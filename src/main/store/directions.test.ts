// Saved latent directions in a real SQLite file: kept by name per run, replaced under the same name, gone
// with their run; a database made before the table existed gains it when opened.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import { createRun, deleteDirection, deleteRun, listDirections, openDatabase, saveDirection, type Db } from '.'
import { MIGRATIONS } from './migrations'

const config = parseRunConfig({ imageSize: 32, nz: 3 })
let dir: string
let db: Db

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-store-directions-'))
  db = openDatabase(join(dir, 'runs.db'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('saved latent directions', () => {
  it('keeps a named direction with its source and checkpoint, replaces it by name, deletes it', () => {
    const run = createRun(db, { config, source: 'builtin:mnist' })
    const other = createRun(db, { config, source: 'builtin:mnist' })
    const first = saveDirection(db, run.id, { name: ' thickness ', source: 'sefa:3', iteration: 500, vector: [0.5, -0.75, 0] })
    expect(first).toMatchObject({ runId: run.id, name: 'thickness', source: 'sefa:3', iteration: 500, vector: [0.5, -0.75, 0] })
    saveDirection(db, run.id, { name: 'slant', source: 'ganspace:1', iteration: null, vector: [0, 0, 1] })
    saveDirection(db, other.id, { name: 'thickness', source: 'sefa:1', iteration: 10, vector: [1, 0, 0] })
    const replaced = saveDirection(db, run.id, { name: 'thickness', source: 'ganspace:2', iteration: 1000, vector: [0, 1, 0] })
    expect(replaced.id).toBe(first.id)
    expect(listDirections(db, run.id).map((d) => [d.name, d.source, d.iteration, d.vector])).toEqual([
      ['thickness', 'ganspace:2', 1000, [0, 1, 0]],
      ['slant', 'ganspace:1', null, [0, 0, 1]]
    ])
    deleteDirection(db, run.id, first.id)
    expect(listDirections(db, run.id).map((d) => d.name)).toEqual(['slant'])
    expect(() => saveDirection(db, run.id, { name: '  ', source: 'sefa:1', iteration: 1, vector: [1, 0, 0] })).toThrow('a saved direction needs a name')
    deleteRun(db, run.id)
    expect(db.prepare('SELECT COUNT(*) AS n FROM latent_directions').get()).toEqual({ n: 1 })
  })

  it('adds the table to a database written before it existed', () => {
    db.close()
    const path = join(dir, 'old.db')
    const old = new Database(path)
    old.exec(MIGRATIONS[0])
    old.exec(MIGRATIONS[1])
    old.pragma('user_version = 2')
    old.close()
    db = openDatabase(path)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const run = createRun(db, { config, source: 'builtin:mnist' })
    expect(saveDirection(db, run.id, { name: 'a', source: 'sefa:1', iteration: 0, vector: [1, 0, 0] }).name).toBe('a')
  })
})
