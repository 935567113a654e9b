// The `gan-studio` command as a user runs it: a real image folder with broken files, training, the run
// list, exports, and what wrong usage prints.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { writeImageFolder } from '../fixtures/image-folder'
import { buildCli, runCli, startCli } from './run-cli'

let dir: string
let store: string[]
let photos: string

beforeAll(async () => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-cli-'))
  store = ['--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')]
  photos = join(dir, 'photos')
  await writeImageFolder(photos)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('gan-studio train on a real image folder', () => {
  it('trains, lists the unusable files with reasons, and writes grids, metrics and the generator', async () => {
    const out = join(dir, 'out')
    const r = await runCli(['train', '--data', photos, '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16', '--iterations', '6',
      '--sample-every', '3', '--checkpoint-every', '3', '--name', 'photos', '--out', out, ...store])
    expect(r.stderr).not.toMatch(/error|fail/i)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/120 images, 32x32, grayscale/)
    expect(r.stdout).toMatch(/Skipped 5 files/)
    expect(r.stdout).toMatch(/cut-off\.jpg: truncated/)
    expect(r.stdout).toMatch(/empty\.jpg: empty/)
    expect(r.stdout).toMatch(/noise\.png: corrupt/)
    expect(r.stdout).toMatch(/readme\.txt: unsupported/)
    expect(r.stdout).toMatch(/dangling\.png: unreadable/)
    expect(r.stdout).toMatch(/Run "photos": finished at iteration 6\/6/)
    expect(readdirSync(join(out, 'grids'))).toEqual(['iter-000000.png', 'iter-000003.png', 'iter-000006.png'])
    const grid = await sharp(join(out, 'latest.png')).metadata()
    expect([grid.width, grid.height]).toEqual([274, 274]) // make_grid of 64 32-px images, padding 2
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(7)
    expect(readFileSync(join(out, 'generator.bin')).subarray(0, 8).toString()).toBe('GANSTB01')
  })

  it('an export killed half-way leaves no half-written file, and the next one completes', async () => {
    const folder = join(dir, 'killed-export')
    const grid = join(folder, 'grid.png')
    // The export holds its written temp file before the rename, so the kill surely lands half-way.
    const child = startCli(['export-grid', 'photos', '--out', grid, ...store], { GAN_STUDIO_TEST_EXPORT_HOLD_MS: '60000' })
    const temps = () => (existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith('.tmp')) : [])
    await vi.waitFor(() => expect(temps()).toHaveLength(1), { timeout: 60_000, interval: 20 })
    const exited = new Promise((r) => child.on('close', r))
    child.kill('SIGKILL')
    await exited
    expect(existsSync(grid)).toBe(false)
    // The next export of the same file removes the dead one's temp file and writes the whole file.
    const again = await runCli(['export-grid', 'photos', '--out', grid, ...store])
    expect(again.code, again.stderr).toBe(0)
    expect(readdirSync(folder)).toEqual(['grid.png'])
    expect((await sharp(grid).metadata()).format).toBe('png')
  })

  it('exports grids and samples from the run and from the --out folder', async () => {
    const grid = join(dir, 'exports', 'grid.png')
    const r = await runCli(['export-grid', 'photos', '--out', grid, '--count', '10', '--nrow', '4', '--padding', '3', '--scale', '2', ...store])
    expect(r.code).toBe(0)
    const meta = await sharp(grid).metadata()
    expect([meta.width, meta.height]).toEqual([2 * 143, 2 * 108]) // make_grid(10 images, nrow 4, padding 3) is 108 x 143
    const before = readFileSync(grid)
    const again = await runCli(['export-grid', 'photos', '--out', grid, ...store])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already exists.*--force/)
    // Refused, and the file is left byte for byte as it was.
    expect(readFileSync(grid).equals(before)).toBe(true)
    const fromFolder = await runCli(['export-grid', '--from', join(dir, 'out'), '--out', join(dir, 'exports', 'from-out.png'), '--seed', '4'])
    expect(fromFolder.code).toBe(0)
    const samples = join(dir, 'exports', 'samples')
    const s = await runCli(['export-samples', 'photos', '--count', '3', '--checkpoint', '6', '--out', samples, ...store])
    expect(s.code).toBe(0)
    expect(readdirSync(samples)).toEqual(['sample-0001.png', 'sample-0002.png', 'sample-0003.png'])
    expect((await sharp(join(samples, 'sample-0002.png')).metadata()).width).toBe(32)
    const missing = await runCli(['export-grid', 'photos', '--checkpoint', '4', '--out', join(dir, 'x.png'), ...store])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no checkpoint at iteration 4; saved: 3, 6/)
  })

  it('exports a strip, a GIF, the TF.js model and the metrics, and pins a checkpoint', async () => {
    const out = (name: string) => join(dir, 'exports', name)
    const strip = await runCli(['export-strip', 'photos', '--between', 'seed:1,fixed:2', '--frames', '6', '--padding', '1', '--pad-color', '#ffffff', '--out', out('strip.png'), ...store])
    expect(strip.code).toBe(0)
    const stripMeta = await sharp(out('strip.png')).metadata()
    expect([stripMeta.width, stripMeta.height]).toEqual([6 * 33 + 1, 34])
    const gif = await runCli(['export-gif', 'photos', '--keys', 'seed:1,seed:2,seed:3', '--frames-per-segment', '4', '--fps', '10', '--out', out('walk.gif'), ...store])
    expect(gif.code).toBe(0)
    const gifMeta = await sharp(out('walk.gif'), { animated: true }).metadata()
    expect([gifMeta.pages, gifMeta.width, gifMeta.pageHeight, gifMeta.delay?.[0]]).toEqual([12, 64, 64, 100])
    const model = await runCli(['export-model', 'photos', '--out', out('model'), ...store])
    expect(model.code).toBe(0)
    expect(readdirSync(out('model')).sort()).toEqual(['group1-shard1of1.bin', 'model.json'])
    const csv = await runCli(['export-metrics', 'photos', '--out', out('metrics.csv'), ...store])
    expect(csv.code).toBe(0)
    expect(readFileSync(out('metrics.csv'), 'utf8').split('\r\n')[0]).toBe('iteration,epoch,loss_d,loss_g,d_x,d_g_z1,d_g_z2,seconds,wall_time,diversity,sample_change,swd,swd_16,swd_32')
    const badKey = await runCli(['export-gif', 'photos', '--keys', 'seed:1,nothing,seed:2', '--out', out('x.gif'), ...store])
    expect(badKey.code).toBe(2)
    expect(badKey.stderr).toMatch(/no vector "nothing"/)
    const pin = await runCli(['pin', 'photos', '--checkpoint', '3', ...store])
    expect(pin.stdout).toMatch(/Pinned the checkpoint at iteration 3/)
    const show = await runCli(['show', 'photos', ...store])
    expect(show.stdout).toMatch(/Checkpoints: 3 \(pinned\), 6/)
    await runCli(['pin', 'photos', '--checkpoint', '3', '--unpin', ...store])
  })

  it('takes a preset, with options given beside it winning', async () => {
    const r = await runCli(['train', '--data', 'builtin:mnist', '--preset', 'cpu-quick', '--iterations', '2', '--ngf', '8', '--swd-every', '0', '--name', 'preset', ...store])
    expect(r.code).toBe(0)
    const show = await runCli(['show', 'preset', ...store])
    expect(show.stdout).toMatch(/imageSize\s+32/)
    expect(show.stdout).toMatch(/ndf\s+32/)
    expect(show.stdout).toMatch(/ngf\s+8/)
    expect(show.stdout).toMatch(/batchSize\s+64/)
    expect(show.stdout).toMatch(/iterations\s+2\n/)
    await runCli(['delete', 'preset', ...store])
  })

  it('lists, shows and deletes runs by name or id', async () => {
    const list = await runCli(['runs', ...store])
    expect(list.stdout).toMatch(/^ID\s+NAME\s+STATUS/m)
    expect(list.stdout).toMatch(/photos\s+finished\s+6\/6/)
    const show = await runCli(['show', '1', ...store])
    expect(show.stdout).toMatch(/Run 1 "photos": finished/)
    expect(show.stdout).toMatch(/Checkpoints: 3, 6/)
    // Six iterations are too few for any health check to see a problem; what the checks took is told.
    expect(show.stdout).toMatch(/^Health: no problems seen; checks took \d+\.\d\d s \(\d+\.\d\d% of the training time\)$/m)
    const badSmoothing = await runCli(['resume', 'photos', '--label-smoothing', '0.9', ...store])
    expect(badSmoothing.code).toBe(2)
    expect(badSmoothing.stderr).toMatch(/--label-smoothing: label smoothing must be in \[0, 0\.5\]/)
    const gone = await runCli(['delete', 'photos', ...store])
    expect(gone.stdout).toMatch(/Deleted run 1 "photos"/)
    const after = await runCli(['show', 'photos', ...store])
    expect(after.code).toBe(1)
    expect(after.stderr).toMatch(/no run "photos"/)
  })
})

describe('gan-studio usage errors', () => {
  it.each([
    [['train', '--data', 'builtin:mnist', '--bach', '8'], /Unknown option '--bach'/],
    [['train', '--data', 'builtin:mnist', '--batch', '0'], /--batch: batch size must be at least 1/],
    [['train', '--data', 'builtin:mnist', '--size', '48'], /--size: image size must be 32 or 64/],
    [['train', '--data', 'builtin:mnist', '--lr', 'fast'], /--lr must be a number, got "fast"/],
    [['train', '--data', 'builtin:mnist', '--iterations', '5', '--epochs', '2'], /give either iterations or epochs/],
    [['train', '--data', 'builtin:cifar'], /--data: Unknown built-in data set "cifar"/],
    [['train'], /--data is required/],
    [['train', '--data', 'builtin:mnist', '--preset', 'fast'], /--preset must be one of paper, cpu-quick, got "fast"/],
    [['export-grid', '--out', 'x.png'], /<run> is missing/],
    [['resume'], /<run> is missing/],
    [['frobnicate'], /unknown command "frobnicate"/]
  ])('%j exits 2 naming the problem', async (args, message) => {
    const r = await runCli([...args, ...store])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('exits 2 naming --data, not a stack trace, when the folder is missing', async () => {
    const r = await runCli(['train', '--data', join(dir, 'nowhere'), ...store])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--data: The folder .*nowhere does not exist/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('prints help for every command', async () => {
    for (const command of ['train', 'runs', 'show', 'resume', 'delete', 'pin', 'serve', 'export-grid', 'export-samples', 'export-strip', 'export-gif', 'export-model', 'export-metrics']) {
      const r = await runCli([command, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`Usage: gan-studio ${command}`))
    }
  })
})
