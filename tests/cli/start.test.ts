// `npm start` where the desktop window cannot open: the browser mode starts on its own, serves the app,
// opens it with the browser command (a recorder here, through GAN_STUDIO_BROWSER), and Ctrl-C ends it
// with exit 0. Run as a user runs it: `node scripts/start.js`, in a child process.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildCli, ROOT, waitForOutput } from './run-cli'

let dir: string
beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-start-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function electronDownloaded(): boolean {
  try {
    return existsSync(join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(join(ROOT, 'node_modules', 'electron', 'path.txt'), 'utf8')))
  } catch {
    return false
  }
}

/** A browser command that records the address it was asked to open. */
function recordingBrowser(name: string): { command: string; opened: string } {
  const opened = join(dir, `${name}-opened.txt`)
  const command = join(dir, `${name}-browser.sh`)
  writeFileSync(command, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`)
  chmodSync(command, 0o755)
  return { command, opened }
}

function npmStart(name: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'scripts', 'start.js'), '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, GAN_STUDIO_HOME: join(dir, name), GAN_STUDIO_CACHE: join(dir, 'cache'), ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

/** The browser mode came up: the page is served, the browser was asked to open it, and Ctrl-C ends it cleanly. */
async function expectBrowserMode(child: ChildProcess, opened: string): Promise<string> {
  const output = await waitForOutput(child, /Open (http:\/\/\S+)/, 120_000)
  const url = /Open (http:\/\/\S+)/.exec(output)![1]
  expect(new URL(url).hostname).toBe('127.0.0.1')
  expect(new URL(url).searchParams.get('token')).toBeTruthy()
  const page = await fetch(url)
  expect(page.status).toBe(200)
  expect(await page.text()).toMatch(/<title>GAN Studio<\/title>/)
  await vi.waitFor(() => expect(existsSync(opened) && readFileSync(opened, 'utf8')).toBe(url), { timeout: 30_000 })
  let rest = ''
  child.stdout!.on('data', (d) => (rest += d))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  child.kill('SIGINT')
  expect(await exited).toBe(0)
  expect(rest).toMatch(/SIGINT: pausing running runs .* and stopping the server/)
  return output
}

describe('npm start without a desktop window', () => {
  it.skipIf(electronDownloaded())('starts the browser mode where Electron cannot be downloaded (as on this machine)', async () => {
    const browser = recordingBrowser('no-electron')
    const child = npmStart('no-electron', { GAN_STUDIO_BROWSER: browser.command })
    const output = await expectBrowserMode(child, browser.opened)
    expect(output).toMatch(/Electron could not be downloaded .*so the desktop window cannot open here/)
  }, 180_000)

  it('starts the browser mode where Electron exits before its window opens (no display)', async () => {
    const fakeElectron = join(dir, 'electron-without-display.sh')
    writeFileSync(fakeElectron, "#!/bin/sh\necho 'Missing X server or $DISPLAY' >&2\nexit 1\n")
    chmodSync(fakeElectron, 0o755)
    const browser = recordingBrowser('no-display')
    const child = npmStart('no-display', { GAN_STUDIO_BROWSER: browser.command, GAN_STUDIO_ELECTRON_BINARY: fakeElectron })
    const output = await expectBrowserMode(child, browser.opened)
    expect(output).toMatch(/Electron could not start \(exit code 1: Missing X server or \$DISPLAY\)/)
  }, 180_000)

  it('only prints the address when told not to open a browser', async () => {
    const child = npmStart('no-browser', { GAN_STUDIO_BROWSER: 'none', GAN_STUDIO_ELECTRON_BINARY: join(dir, 'no-such-electron') })
    const output = await waitForOutput(child, /Not opening a browser/, 120_000)
    expect(output).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\nNot opening a browser \(GAN_STUDIO_BROWSER=none\): open the address above in one\./)
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  }, 180_000)
})
