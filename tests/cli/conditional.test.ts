// `gan-studio train --conditional` as a user runs it on a folder of class subfolders (MNIST digits written as
// PNGs): the classes and the model it prints, the grid a row per class, `show`, exports by class, and the
// folders and classes it refuses with a message that says what to change.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findRun, openDatabase, updateRun } from '../../src/main/store'
import { writeClassFolder } from '../fixtures/image-folder'
import { buildCli, runCli } from './run-cli'

let dir: string
let store: string[]
let pets: string
const size = async (file: string) => {
  const meta = await sharp(file).metadata()
  return [meta.width, meta.height]
}

beforeAll(async () => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-cli-conditional-'))
  store = ['--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')]
  pets = join(dir, 'pets')
  await writeClassFolder(pets, { cats: 0, dogs: 1, eels: 7 }, 12)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('gan-studio train --conditional', () => {
  it('trains on the subfolders as classes, prints them and the model, and grids a row per class', async () => {
    const out = join(dir, 'out')
    const r = await runCli(['train', '--data', pets, '--conditional', '--size', '32', '--ngf', '8', '--ndf', '8', '--nz', '16', '--batch', '12',
      '--iterations', '4', '--checkpoint-every', '2', '--name', 'pets', '--out', out, ...store])
    expect(r.stderr).not.toMatch(/error|fail/i)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Classes: 3: cats \(12\), dogs \(12\), eels \(12\)/)
    expect(r.stdout).toMatch(/Note: classes cats \(12\), dogs \(12\), eels \(12\) have fewer than 50 images/)
    expect(r.stdout).toMatch(
      /Model: DCGAN 32 px, conditional on 3 classes: G [\d,]+ parameters \(label embedding 3×16 = 48, joined to z\), D [\d,]+ \(3 label maps joined to the image channels\)/
    )
    // 3 classes, 8 images each: make_grid with nrow 8 and padding 2.
    expect(await size(join(out, 'latest.png'))).toEqual([8 * 34 + 2, 3 * 34 + 2])

    const show = await runCli(['show', 'pets', ...store])
    expect(show.stdout).toMatch(/Classes: 3: cats \(12\), dogs \(12\), eels \(12\)/)
    expect(show.stdout).toMatch(/Model: DCGAN 32 px, conditional on 3 classes/)
    expect(show.stdout).toMatch(/conditional\s+true/)
    // SWD at the end of the run: all classes together, and each class alone (12 images each in the real subset).
    expect(show.stdout).toMatch(/Quality: SWD [\d.]+ at iteration 4/)
    expect(show.stdout).toMatch(/Quality per class \(SWD, latest\): cats [\d.]+, dogs [\d.]+, eels [\d.]+/)
  })

  it('exports a grid per class, one class, samples of a class, and a strip between two classes', async () => {
    const out = (name: string) => join(dir, 'exports', name)
    const perClass = await runCli(['export-grid', 'pets', '--per-class', '--count', '4', '--out', out('per-class.png'), ...store])
    expect(perClass.code).toBe(0)
    expect(perClass.stdout).toMatch(/12 images in 3 rows of 4 .*one row per class \(0 cats, 1 dogs, 2 eels\)/)
    expect(await size(out('per-class.png'))).toEqual([4 * 34 + 2, 3 * 34 + 2])
    const oneClass = await runCli(['export-grid', 'pets', '--class', '2', '--count', '6', '--nrow', '3', '--out', out('eels.png'), ...store])
    expect(oneClass.stdout).toMatch(/6 images in 2 rows of 3 .*class 2 \(eels\)/)

    const samples = await runCli(['export-samples', 'pets', '--class', '1', '--count', '2', '--out', out('dogs'), ...store])
    expect(samples.stdout).toMatch(/Wrote 2 images of class 1 \(dogs\)/)
    expect(readdirSync(out('dogs'))).toEqual(['sample-0001.png', 'sample-0002.png'])
    const mixed = await runCli(['export-samples', 'pets', '--count', '4', '--out', out('all'), ...store])
    expect(readdirSync(out('all'))).toEqual(['sample-0001-class-0.png', 'sample-0002-class-1.png', 'sample-0003-class-2.png', 'sample-0004-class-0.png'])
    expect(mixed.stdout).toMatch(/the 3 classes in turn/)

    const strip = await runCli(['export-strip', 'pets', '--between', 'seed:1@0,seed:1@2', '--frames', '5', '--out', out('cats-to-eels.png'), ...store])
    expect(strip.code).toBe(0)
    expect(await size(out('cats-to-eels.png'))).toEqual([5 * 34 + 2, 36])
  })

  it('says which classes there are when asked for one that is not', async () => {
    const r = await runCli(['export-samples', 'pets', '--class', '12', '--count', '2', '--out', join(dir, 'never'), ...store])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--class 12: this run has 3 classes, numbered 0 to 2 \(0 cats, 1 dogs, 2 eels\)/)
    const noClass = await runCli(['export-strip', 'pets', '--between', 'seed:1,seed:2', '--out', join(dir, 'never.png'), ...store])
    expect(noClass.code).toBe(2)
    expect(noClass.stderr).toMatch(/"seed:1": this generator is conditional: choose the class, e.g. seed:1@0, or give --class K/)
    expect(existsSync(join(dir, 'never'))).toBe(false)
  })

  it('refuses a folder without class subfolders before creating a run', async () => {
    const flat = join(dir, 'flat')
    mkdirSync(flat)
    for (const name of ['a.png', 'b.png']) writeFileSync(join(flat, name), await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer())
    const r = await runCli(['train', '--data', flat, '--conditional', '--size', '32', '--name', 'flat', ...store])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(`--conditional: A conditional run needs classes, and ${flat} has no subfolders`)
    expect(r.stderr).toMatch(/sort the images into one subfolder per class \(root\/cats\/x\.png, root\/dogs\/y\.png\), or train without --conditional/)
    const runs = await runCli(['runs', ...store])
    expect(runs.stdout).not.toMatch(/flat/)
  })

  it('fails the run with the class named when a class has no usable image once decoded; fixed, it resumes', async () => {
    const broken = join(dir, 'broken')
    await writeClassFolder(broken, { cats: 0, dogs: 1 }, 4)
    mkdirSync(join(broken, 'birds'))
    writeFileSync(join(broken, 'birds', 'tweet.png'), 'not a png')
    const args = ['--conditional', '--size', '32', '--ngf', '4', '--ndf', '4', '--nz', '8', '--batch', '4', '--iterations', '1', '--swd-every', '0']
    const r = await runCli(['train', '--data', broken, ...args, '--name', 'broken', ...store])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(`A class has no usable image in ${broken}: birds/ (1 file skipped, e.g. birds/tweet.png: corrupt).`)
    await writeClassFolder(join(dir, 'more'), { birds: 2 }, 4)
    rmSync(join(broken, 'birds', 'tweet.png'))
    for (const name of readdirSync(join(dir, 'more', 'birds'))) writeFileSync(join(broken, 'birds', name), await sharp(join(dir, 'more', 'birds', name)).toBuffer())
    const resumed = await runCli(['resume', 'broken', ...store])
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toMatch(/Classes: 3: birds \(4\), cats \(4\), dogs \(4\)/)
    expect(resumed.stdout).toMatch(/Run "broken": finished at iteration 1\/1/)
  })

  it('will not continue a run whose classes changed since its checkpoint, and says why', async () => {
    // The finished run left paused, as Ctrl-C leaves a run, so that it may continue.
    const db = openDatabase(join(dir, 'runs.db'))
    updateRun(db, findRun(db, 'pets').id, { status: 'paused' })
    db.close()
    mkdirSync(join(pets, 'owls'))
    for (const name of readdirSync(join(pets, 'eels'))) writeFileSync(join(pets, 'owls', name), await sharp(join(pets, 'eels', name)).toBuffer())
    const r = await runCli(['resume', 'pets', ...store])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(`The classes of ${pets} changed since this run's last checkpoint: it trained on 3 (cats, dogs, eels), the data now has 4 (cats, dogs, eels, owls).`)
    expect(r.stderr).toMatch(/put the class subfolders back as they were to continue/)
    rmSync(join(pets, 'owls'), { recursive: true })
  })
})
