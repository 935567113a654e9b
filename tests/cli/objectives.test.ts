// Losses, DiffAugment and the generator EMA from the command line, as a user types them: what bad values
// are told, what a WGAN-GP run with augmentation and EMA prints while it trains (the fallback from the
// fast engine, the Wasserstein estimate), what `show` says of it, and exports of both of its generators.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, runCli } from './run-cli'

let dir: string
let store: string[]
const TINY = ['--data', 'builtin:mnist', '--size', '32', '--ngf', '4', '--ndf', '4', '--batch', '8', '--swd-every', '0']

beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-cli-objectives-'))
  store = ['--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')]
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('bad values', () => {
  it.each([
    [['--augment', 'color,blur'], /--augment: unknown augmentation "blur"; choose any of color, translation, cutout, separated by commas/],
    [['--ema', '1.5'], /--ema: EMA decay must be below 1 \(e\.g\. 0\.999; 0 turns it off\)/],
    [['--loss', 'wgan-gp', '--d-norm', 'batch'], /--d-norm: the gradient penalty needs a discriminator without BatchNorm.*choose layer norm or none/],
    [['--loss', 'hinge', '--label-smoothing', '0.1'], /--label-smoothing: label smoothing applies to the bce and lsgan losses only/],
    [['--loss', 'wgan-gan'], /--loss must be one of bce, lsgan, hinge, wgan, wgan-gp, got "wgan-gan"/],
    [['--optimizer', 'sgd'], /--optimizer must be one of adam, rmsprop, got "sgd"/]
  ])('%j is refused before any run is created', async (flags, message) => {
    const r = await runCli(['train', ...TINY, '--iterations', '1', ...flags, ...store])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(existsSync(join(dir, 'runs.db'))).toBe(false)
  })
})

describe('a WGAN-GP run with DiffAugment and EMA', () => {
  it('says it trains on autograd and what that costs, charts the Wasserstein estimate, and shows its settings', async () => {
    const r = await runCli(['train', ...TINY, '--iterations', '2', '--loss', 'wgan-gp', '--d-steps', '2', '--augment', '--ema', '--backend', 'wasm', '--name', 'gp', '--checkpoint-every', '2', ...store])
    expect(r.stderr).not.toMatch(/error|fail/i)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/second-order gradient[^\n]*TF\.js autograd, at about \d+(\.\d+)?x the engine's time per iteration/)
    const show = await runCli(['show', 'gp', ...store])
    expect(show.stdout).toMatch(/loss +wgan-gp/)
    expect(show.stdout).toMatch(/optimizer +adam/)
    expect(show.stdout).toMatch(/beta1 +0\n/)
    expect(show.stdout).toMatch(/gpWeight +10/)
    expect(show.stdout).toMatch(/dNorm +layer/)
    expect(show.stdout).toMatch(/augment +color,translation,cutout/)
    expect(show.stdout).toMatch(/ema +0\.999/)
    expect(show.stdout).toMatch(/Latest: Loss_D \(critic\) -?\d+\.\d+ {2}Loss_G -?\d+\.\d+ {2}W estimate -?\d+\.\d+ /)
  })

  it('exports the moving average by default and the trained generator with --raw', async () => {
    const average = join(dir, 'average.png')
    const raw = join(dir, 'raw.png')
    expect((await runCli(['export-grid', 'gp', '--out', average, '--count', '4', ...store])).code).toBe(0)
    expect((await runCli(['export-grid', 'gp', '--raw', '--out', raw, '--count', '4', ...store])).code).toBe(0)
    expect(readFileSync(raw).equals(readFileSync(average))).toBe(false)
    const fromFolder = await runCli(['export-grid', '--from', dir, '--raw', '--out', join(dir, 'x.png')])
    expect(fromFolder.code).toBe(2)
    expect(fromFolder.stderr).toMatch(/--raw needs a run/)
  })

  it('trains the MLP with the gradient penalty too', async () => {
    const r = await runCli(['train', ...TINY, '--iterations', '2', '--arch', 'mlp', '--loss', 'wgan-gp', '--d-steps', '1', '--name', 'mlp-gp', ...store])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Run "mlp-gp": finished at iteration 2\/2/)
    // The MLP never ran on the fast engine: nothing falls back.
    expect(r.stdout).not.toMatch(/second-order gradient/)
  })
})
