// What the `gan-studio` command refuses before it creates anything (a mistyped --db, --data, --name or
// --backend), how failures are told (once, exit 1, no stack trace hint), grid layouts by --rows and
// --nrow, export --backend, a backend passed over with its reason, and output piped into `head`.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, ROOT, runCli, type CliResult } from './run-cli'

let dir: string
let store: string[]

/** The run names in the database, from `gan-studio runs`. */
async function runNames(): Promise<string[]> {
  const list = await runCli(['runs', ...store])
  return list.stdout.split('\n').slice(1).filter(Boolean).map((line) => line.split(/\s+/)[1])
}

const DEBUG_HINT = /GAN_STUDIO_DEBUG|\n\s+at /

/** Like runCli, with extra environment variables and, optionally, stdout closed by the reader at once. */
function runWith(args: string[], env: Record<string, string>, closeStdout = false): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'gan-studio.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, GAN_STUDIO_DEBUG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    // As `| head -0` does: the reading end is gone before the command writes its first line.
    if (closeStdout) child.stdout.destroy()
    else child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

function installed(packageName: string): boolean {
  try {
    createRequire(join(ROOT, 'package.json')).resolve(packageName)
    return true
  } catch {
    return false
  }
}

beforeAll(async () => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-cli-checks-'))
  store = ['--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')]
  const r = await runCli(['train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '8', '--iterations', '2',
    '--swd-every', '0', '--name', 'tiny', ...store])
  if (r.code !== 0) throw new Error(`training the test run failed:\n${r.stdout}\n${r.stderr}`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('--db', () => {
  it.each([
    ['runs'],
    ['show', 'tiny'],
    ['delete', 'tiny'],
    ['pin', 'tiny', '--checkpoint', '2'],
    ['export-grid', 'tiny', '--out', 'x.png'],
    ['export-metrics', 'tiny', '--out', 'x.csv']
  ])('%j with a database that is not there says so and creates nothing', async (...args) => {
    const missing = join(dir, 'typo', 'runs.db')
    const r = await runCli([...args, '--db', missing])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`no database at ${missing}: check --db, or train a run first`)
    expect(r.stderr).not.toMatch(DEBUG_HINT)
    expect(existsSync(join(dir, 'typo'))).toBe(false)
  })

  it('names --db when the file is not a database, and leaves the file as it was', async () => {
    const text = join(dir, 'notes.txt')
    const content = 'shopping list: milk, eggs, bread\n'.repeat(50)
    writeFileSync(text, content)
    for (const args of [['runs'], ['train', '--data', 'builtin:mnist']]) {
      const r = await runCli([...args, '--db', text])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/cannot open the run database .*notes\.txt: file is not a database \(check --db\)/)
      expect(r.stderr).not.toMatch(DEBUG_HINT)
    }
    expect(readFileSync(text, 'utf8')).toBe(content)
  })
})

describe('train checks before creating a run', () => {
  it('exits 2 naming --data for a folder that is missing or has no images, leaving no run behind', async () => {
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    writeFileSync(join(empty, 'notes.txt'), 'no images here')
    const missing = await runCli(['train', '--data', join(dir, 'nowhere'), ...store])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--data: The folder .*nowhere does not exist/)
    const none = await runCli(['train', '--data', empty, ...store])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/--data: no images in .*empty \(1 file, none of them an image\)/)
    expect(await runNames()).toEqual(['tiny'])
  })

  it('exits 2 naming --name for a name that is taken or all digits', async () => {
    const taken = await runCli(['train', '--data', 'builtin:mnist', '--name', 'tiny', ...store])
    expect(taken.code).toBe(2)
    expect(taken.stderr).toMatch(/--name: a run named "tiny" already exists/)
    const digits = await runCli(['train', '--data', 'builtin:mnist', '--name', '42', ...store])
    expect(digits.code).toBe(2)
    expect(digits.stderr).toMatch(/--name: "42" looks like a run id/)
    expect(await runNames()).toEqual(['tiny'])
  })

  it.skipIf(installed('@tensorflow/tfjs-node'))('fails at once for a --backend that is not installed, told once, with no run created', async () => {
    const r = await runCli(['train', '--data', 'builtin:mnist', '--backend', 'tensorflow', '--name', 'native', ...store])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/--backend tensorflow: tfjs-node is not installed: npm install @tensorflow\/tfjs-node/)
    expect(`${r.stdout}${r.stderr}`.match(/not installed/g)).toHaveLength(1)
    expect(r.stderr).not.toMatch(DEBUG_HINT)
    expect(await runNames()).toEqual(['tiny'])
  })

  it('tells a run that fails once, with exit 1, and an export of it that it has no checkpoint', async () => {
    const broken = join(dir, 'broken')
    mkdirSync(broken)
    writeFileSync(join(broken, 'noise.png'), Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 37) % 256)))
    const r = await runCli(['train', '--data', broken, '--size', '32', '--iterations', '2', '--name', 'broken', ...store])
    expect(r.code).toBe(1)
    expect(`${r.stdout}${r.stderr}`.match(/No usable images/g)).toHaveLength(1)
    expect(r.stderr).toMatch(/the run failed: No usable images/)
    const grid = await runCli(['export-grid', 'broken', '--out', join(dir, 'broken.png'), ...store])
    expect(grid.code).toBe(1)
    expect(grid.stderr).toMatch(/run "broken" has no checkpoint yet/)
    expect(grid.stderr).not.toMatch(DEBUG_HINT)
    await runCli(['delete', 'broken', ...store])
  })
})

describe('export-grid layout and backend', () => {
  // 10 images of 32 px with the default padding of 2: each cell is 34 px, plus 2 px at the far edge.
  it.each([
    [['--rows', '3'], 4, 3],
    [['--rows', '4'], 3, 4],
    [['--nrow', '3'], 3, 4],
    [['--rows', '1'], 10, 1]
  ])('%j lays 10 images out %i per row in %i rows', async (layout, columns, rows) => {
    const out = join(dir, `grid-${layout.join('')}.png`)
    const r = await runCli(['export-grid', 'tiny', '--count', '10', ...layout, '--out', out, ...store])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`10 images in ${rows} row${rows === 1 ? '' : 's'} of ${columns}`)
    const meta = await sharp(out).metadata()
    expect([meta.width, meta.height]).toEqual([columns * 34 + 2, rows * 34 + 2])
  })

  it('refuses --rows and --nrow together', async () => {
    const r = await runCli(['export-grid', 'tiny', '--rows', '2', '--nrow', '5', '--out', join(dir, 'both.png'), ...store])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/give either --rows .* or --nrow .*, not both/)
  })

  it('uses --backend: cpu works, a missing one fails naming --backend, and the help lists it', async () => {
    const cpu = await runCli(['export-samples', 'tiny', '--count', '2', '--backend', 'cpu', '--out', join(dir, 'cpu-samples'), ...store])
    expect(cpu.code).toBe(0)
    expect((await sharp(join(dir, 'cpu-samples', 'sample-0002.png')).metadata()).width).toBe(32)
    const wrong = await runCli(['export-grid', 'tiny', '--backend', 'gpu', '--out', join(dir, 'x.png'), ...store])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/--backend must be one of auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu, got "gpu"/)
    if (!installed('@tensorflow/tfjs-node-gpu')) {
      const missing = await runCli(['export-grid', 'tiny', '--backend', 'tensorflow-gpu', '--out', join(dir, 'x.png'), ...store])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toMatch(/--backend tensorflow-gpu: tfjs-node-gpu is not installed/)
      expect(existsSync(join(dir, 'x.png'))).toBe(false)
    }
    for (const command of ['export-grid', 'export-samples']) {
      expect((await runCli([command, '--help'])).stdout).toMatch(/--backend B\s+auto \| tensorflow-gpu \| webgpu \| tensorflow \| wasm \| cpu/)
    }
  })
})

describe('the automatic backend choice', () => {
  it.skipIf(installed('@tensorflow/tfjs-node'))('says why it passed over an installed tfjs-node that does not load', async () => {
    // A tfjs-node that is found but cannot load, as when its native library is missing.
    const fake = join(dir, 'fake-modules', '@tensorflow', 'tfjs-node')
    mkdirSync(fake, { recursive: true })
    writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '0.0.0', main: 'index.js' }))
    writeFileSync(join(fake, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file')\n")
    const r = await runWith(['train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '8', '--iterations', '1',
      '--swd-every', '0', '--name', 'passed-over', ...store], { NODE_PATH: join(dir, 'fake-modules') })
    expect(r.code).toBe(0)
    const used = /Backend: (\w+)/.exec(r.stdout)?.[1]
    expect(r.stdout).toContain(`tfjs-node is installed but failed to load: libtensorflow.so.2: cannot open shared object file; using ${used}`)
    // tfjs-node-gpu is simply not installed: nothing is said about it.
    expect(r.stdout).not.toMatch(/tfjs-node-gpu/)
    await runCli(['delete', 'passed-over', ...store])
  })
})

describe('output piped into a reader that stops early', () => {
  it.each([['show', 'tiny'], ['runs']])('%j exits quietly', async (...args) => {
    const r = await runWith([...args, ...store], {}, true)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})
