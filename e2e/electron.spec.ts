// The same journey inside the desktop app, driven through Playwright's Electron support. It runs where
// Electron's binary could be downloaded; elsewhere it is skipped, and says why.
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BAD_FILES, writeImageFolder } from '../tests/fixtures/image-folder'

const ROOT = join(__dirname, '..')

function electronBinary(): string | null {
  try {
    const binary = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(join(ROOT, 'node_modules', 'electron', 'path.txt'), 'utf8'))
    return existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const sqliteForElectron = existsSync(join(ROOT, 'native', 'electron', 'better_sqlite3.node'))
const skipReason = !binary
  ? 'the Electron binary is not downloaded (`npm start` downloads it from github.com, which this machine cannot reach); the browser-mode journey (journey.spec.ts) covers the same UI and core'
  : !sqliteForElectron
    ? "better-sqlite3 has no Electron-ABI build (Electron's headers could not be downloaded); run `npm run postinstall` where electronjs.org is reachable"
    : null
if (skipReason) console.log(`Electron e2e skipped: ${skipReason}`)

const SHOTS = join(__dirname, 'screenshots')

test('desktop app: create a run from a folder, see skipped files, train, pause, resume, stop, reopen the app, resume', async () => {
  test.skip(skipReason !== null, skipReason ?? '')
  const dir = mkdtempSync(join(tmpdir(), 'gan-electron-'))
  const photos = join(dir, 'photos')
  await writeImageFolder(photos)
  const launch = () =>
    electron.launch({ executablePath: binary!, args: [ROOT], env: { ...process.env, GAN_STUDIO_HOME: dir, GAN_STUDIO_CACHE: join(dir, 'cache') } })
  let app = await launch()
  try {
    let page = await app.firstWindow()
    await expect(page.getByTestId('runs-empty')).toBeVisible()
    // The page has the API and nothing else: no Node, no ipcRenderer, navigation away refused.
    expect(await page.evaluate('typeof require + typeof process + typeof window.gan.getRun + typeof window.gan.invoke')).toBe('undefinedundefinedfunctionundefined')
    await page.evaluate("location.href = 'https://example.com'")
    await expect(page.getByTestId('runs-empty')).toBeVisible()

    await page.getByTestId('new-run').click()
    await page.getByTestId('source-folder').check()
    await page.getByTestId('folder-input').fill(photos)
    await expect(page.getByTestId('usable-count')).toHaveText('120')
    await expect(page.getByTestId('skipped-row')).toHaveCount(Object.keys(BAD_FILES).length)
    await page.getByTestId('preset-cpuQuick').click()
    await page.getByTestId('field-batchSize').fill('16')
    await page.getByTestId('field-ngf').fill('8')
    await page.getByTestId('field-ndf').fill('8')
    await page.getByTestId('field-length').fill('100000')
    await page.getByTestId('run-name').fill('desktop digits')
    await page.screenshot({ path: join(SHOTS, 'electron-02-new-run.png'), fullPage: true })
    await page.getByTestId('create-run').click()
    await expect(page.getByTestId('status-badge')).toHaveText('running')
    await expect.poll(async () => Number(await page.getByTestId('chart-points').first().getAttribute('data-points'))).toBeGreaterThan(5)
    await page.screenshot({ path: join(SHOTS, 'electron-03-run-training.png'), fullPage: true })
    await page.getByTestId('pause').click()
    await expect(page.getByTestId('status-badge')).toHaveText('paused')
    await page.getByTestId('start').click()
    await expect(page.getByTestId('status-badge')).toHaveText('running')
    await page.getByTestId('stop').click()
    await expect(page.getByTestId('status-badge')).toHaveText('stopped')

    // Close the app and open it again: the run is in the list and resumes from its checkpoint.
    await app.close()
    app = await launch()
    page = await app.firstWindow()
    const row = page.getByTestId('run-row').filter({ hasText: 'desktop digits' })
    await expect(row.getByTestId('status-badge')).toHaveText('stopped')
    const stoppedAt = Number((await row.getByTestId('run-iteration').textContent())!.replace(/\D/g, ''))
    await row.getByTestId('start').click()
    await expect(row.getByTestId('status-badge')).toHaveText('running')
    await expect.poll(async () => Number((await row.getByTestId('run-iteration').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(stoppedAt)
    await page.screenshot({ path: join(SHOTS, 'electron-06-runs-resumed.png'), fullPage: true })
    await row.getByTestId('stop').click()
    await expect(row.getByTestId('status-badge')).toHaveText('stopped')
  } finally {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
