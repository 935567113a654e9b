// Walks along latent directions from the command line: `export-strip` and `export-gif` with --direction
// (SeFa, GANSpace, a saved name), from a run and from a `train --out` folder, and their wrong usages.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findRun, openDatabase, saveDirection } from '../../src/main/store'
import { buildCli, runCli } from './run-cli'

let dir: string
let store: string[]
const out = (name: string) => join(dir, 'exports', name)

beforeAll(async () => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-cli-directions-'))
  store = ['--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')]
  const r = await runCli(['train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16', '--iterations', '4', '--swd-every', '0', '--name', 'digits', '--out', join(dir, 'out'), ...store])
  expect(r.code, r.stderr).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Frame i (32 px, padding 2) of a strip, as raw grey bytes. */
async function frame(file: string, i: number): Promise<Buffer> {
  return sharp(file).extract({ left: 2 + i * 34, top: 2, width: 32, height: 32 }).greyscale().raw().toBuffer()
}

describe('export-strip and export-gif along a latent direction', () => {
  it('walks a SeFa direction through a vector: the middle frame is that vector, the ends differ', async () => {
    const strip = await runCli(['export-strip', 'digits', '--direction', 'sefa:1', '--at', 'seed:3', '--frames', '5', '--out', out('sefa.png'), ...store])
    expect(strip.stderr).toBe('')
    expect(strip.stdout).toMatch(/5 frames, sefa:1 through seed:3, ±5σ, iteration 4/)
    expect(await sharp(out('sefa.png')).metadata()).toMatchObject({ width: 5 * 34 + 2, height: 36 })
    const grid = await runCli(['export-grid', 'digits', '--vectors', 'seed:3', '--out', out('seed3.png'), ...store])
    expect(grid.code).toBe(0)
    expect((await frame(out('sefa.png'), 2)).equals(await frame(out('seed3.png'), 0))).toBe(true)
    expect((await frame(out('sefa.png'), 0)).equals(await frame(out('sefa.png'), 4))).toBe(false)
    // From the train --out folder, the same generator gives the same walk.
    const fromFolder = await runCli(['export-strip', '--from', join(dir, 'out'), '--direction', 'sefa:1', '--at', 'seed:3', '--frames', '5', '--out', out('sefa-from.png')])
    expect(fromFolder.code).toBe(0)
    expect((await sharp(out('sefa-from.png')).raw().toBuffer()).equals(await sharp(out('sefa.png')).raw().toBuffer())).toBe(true)
  })

  it('writes a GIF there and back along a GANSpace direction, and along a saved one', async () => {
    const gif = await runCli(['export-gif', 'digits', '--direction', 'ganspace:2', '--reach', '3', '--frames-per-segment', '4', '--out', out('walk.gif'), ...store])
    expect(gif.stderr).toBe('')
    expect(gif.stdout).toMatch(/8 frames at 12 fps, ganspace:2 through fixed:1, ±3σ/)
    expect(await sharp(out('walk.gif'), { animated: true }).metadata()).toMatchObject({ pages: 8, width: 64, pageHeight: 64 })

    const db = openDatabase(join(dir, 'runs.db'))
    saveDirection(db, findRun(db, 'digits').id, { name: 'thickness', source: 'sefa:1', iteration: 4, vector: Array.from({ length: 100 }, (_, i) => (i === 0 ? 1 : 0)) })
    db.close()
    const saved = await runCli(['export-strip', 'digits', '--direction', 'thickness', '--frames', '3', '--out', out('saved.png'), ...store])
    expect(saved.stdout).toMatch(/3 frames, "thickness" through fixed:1/)
    const unknown = await runCli(['export-gif', 'digits', '--direction', 'smile', '--out', out('x.gif'), ...store])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/no direction "smile": use sefa:K, ganspace:K or a saved name \(thickness\)/)
  })

  it('names the mistake in wrong usage', async () => {
    const cases: [string[], RegExp][] = [
      [['export-strip', 'digits', '--between', 'seed:1,seed:2', '--at', 'seed:1'], /--at goes with --direction/],
      [['export-strip', 'digits', '--direction', 'sefa:1', '--between', 'seed:1,seed:2'], /give either --direction or --between, not both/],
      [['export-gif', 'digits', '--direction', 'sefa:0'], /--direction: "sefa:0": directions are ranked from 1/],
      [['export-gif', 'digits', '--direction', 'sefa:1', '--reach', '0'], /--reach must be above 0/],
      [['export-strip', 'digits'], /--between is required: two vectors, a,b \(or --direction\)/]
    ]
    for (const [args, message] of cases) {
      const r = await runCli([...args, '--out', out('never.png'), ...store])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(message)
    }
    const help = await runCli(['export-gif', '--help'])
    expect(help.stdout).toMatch(/--direction D\s+walk along a latent direction instead: sefa:K or ganspace:K/)
  })
})
