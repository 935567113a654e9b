// What the README promises about `gan-studio serve`, tested where a user meets it: it listens on this
// machine only unless told otherwise; stopping it while a run trains leaves the run paused at a fresh
// checkpoint, which resumes from the list; the token kept in the data folder lets an open page reconnect
// after a restart; an export never replaces a file the user said No to.
import { expect, test, type Page } from '@playwright/test'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runState } from '../tests/cli/run-cli'
import { startSmallRun } from './helpers'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-promises-'))
  // As a user starts it: no --host, no --token.
  app = await serve(dir, null)
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Whether something accepts connections at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

async function iteration(page: Page, where = page.getByTestId('iteration')): Promise<number> {
  return Number((await where.textContent())!.replace(/\D/g, ''))
}

test('serve listens on loopback only; stopped while a run trains, the run is paused at a fresh checkpoint; the open page reconnects after the restart and the run resumes from the list', async ({ page }) => {
  const url = new URL(app.url)
  const port = Number(url.port)
  expect(url.hostname).toBe('127.0.0.1')
  // The token is the one kept in the data folder, for the next start to reuse.
  expect(url.searchParams.get('token')).toBe(readFileSync(join(dir, 'serve-token'), 'utf8').trim())
  expect(await accepts('127.0.0.1', port)).toBe(true)
  const lan = Object.values(networkInterfaces()).flat().find((a) => a && !a.internal && a.family === 'IPv4')
  if (lan) expect(await accepts(lan.address, port)).toBe(false)
  else console.log('no non-loopback IPv4 address on this machine: only the printed address was checked')

  await page.goto(app.url)
  // No scheduled checkpoint in this test's time: the one after the stop is the server's doing.
  await startSmallRun(page, 'overnight', 100000)
  await expect.poll(() => iteration(page), { timeout: 60_000 }).toBeGreaterThan(5)

  // The server stops under the training run (Ctrl-C or SIGTERM, as a service manager sends).
  await app.stop()
  await expect(page.getByTestId('offline-banner')).toBeVisible()
  const stopped = runState(join(dir, 'runs.db'), 'overnight')!
  expect(stopped.status).toBe('paused')
  expect(stopped.iteration).toBeGreaterThan(5)
  expect(stopped.checkpoint).toBe(stopped.iteration)

  // Started again the same way: the kept token, so the page that stayed open reconnects by itself.
  app = await serve(dir, null, port)
  await expect(page.getByTestId('offline-banner')).toBeHidden({ timeout: 30_000 })
  await page.getByTestId('nav-runs').click()
  const row = page.getByTestId('run-row').filter({ hasText: 'overnight' })
  await expect(row.getByTestId('status-badge')).toHaveText('paused')
  await expect(row.getByTestId('run-iteration')).toHaveText(stopped.iteration.toLocaleString('en-US'))
  await row.getByTestId('start').click()
  await expect(row.getByTestId('status-badge')).toHaveText('running')
  await expect.poll(() => iteration(page, row.getByTestId('run-iteration')), { timeout: 60_000 }).toBeGreaterThan(stopped.iteration)
  await row.getByTestId('stop').click()
  await expect(row.getByTestId('status-badge')).toHaveText('stopped')
})

test('an export the user declines to replace leaves the file byte for byte; accepting replaces it', async ({ page }) => {
  const questions: string[] = []
  let answer = false
  page.on('dialog', (dialog) => (questions.push(dialog.message()), answer ? dialog.accept() : dialog.dismiss()))
  const precious = join(dir, 'exports', 'precious.png')
  mkdirSync(join(dir, 'exports'), { recursive: true })
  const before = Buffer.from('not a grid: the file the user wants to keep')
  writeFileSync(precious, before)

  await page.goto(app.url)
  await page.getByRole('link', { name: 'overnight' }).click()
  await page.getByTestId('explore').click()
  await page.getByTestId('tab-export').click()
  await page.getByTestId('export-to-server').check()
  await page.getByTestId('export-path').fill(precious)
  await page.getByTestId('export-run').click()
  await expect.poll(() => questions).toEqual([`${precious} already exists. Replace it?`])
  await expect(page.getByTestId('export-run')).toBeEnabled()
  await expect(page.getByTestId('export-result')).toBeHidden()
  expect(readFileSync(precious).equals(before)).toBe(true)

  answer = true
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText('precious.png')
  expect(readFileSync(precious).subarray(1, 4).toString()).toBe('PNG')
})
