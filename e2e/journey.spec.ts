// A user's first session in the browser mode: a run from their own image folder (with a few broken files),
// watched live, paused, resumed, stopped, and resumed again after the server restarted.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BAD_FILES, writeImageFolder } from '../tests/fixtures/image-folder'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
const TOKEN = 'e2e-journey-token'

let dir: string
let photos: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-'))
  photos = join(dir, 'my photos')
  await writeImageFolder(photos)
  app = await serve(dir, TOKEN)
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function iteration(page: Page): Promise<number> {
  return Number((await page.getByTestId('iteration').textContent())!.replace(/\D/g, ''))
}

async function chartPoints(page: Page): Promise<number> {
  return Number(await page.getByTestId('chart-points').first().getAttribute('data-points'))
}

test('create a run from a folder, watch it, pause, resume, stop, restart the server, resume', async ({ page }) => {
  await page.goto(app.url)
  await expect(page.getByTestId('runs-empty')).toBeVisible()
  await page.screenshot({ path: join(SHOTS, '01-runs-empty.png') })

  // New run from the folder: the preview counts the usable images and lists the broken files.
  await page.getByTestId('new-run').click()
  await page.getByTestId('source-folder').check()
  await page.getByTestId('folder-input').fill(photos)
  await expect(page.getByTestId('usable-count')).toHaveText('120')
  await expect(page.getByTestId('channels')).toHaveText('Grayscale')
  // The form says what 'auto' trains on here (no GPU here: the wasm engine) and why not on the GPU.
  await expect(page.getByTestId('backend-auto')).toContainText(/Here: wasm \(/)
  await expect(page.getByTestId('backend-note').first()).toContainText(/^webgpu: /)
  const skipped = page.getByTestId('skipped-row')
  await expect(skipped).toHaveCount(Object.keys(BAD_FILES).length)
  for (const [file, reason] of Object.entries(BAD_FILES)) {
    await expect(skipped.filter({ hasText: file })).toContainText(reason)
  }

  // A bad value is refused in the form, with the reason, and blocks the start.
  await page.getByTestId('preset-cpuQuick').click()
  await page.getByTestId('field-batchSize').fill('0')
  await expect(page.getByTestId('error-batchSize')).toContainText('batch size must be at least 1')
  await expect(page.getByTestId('create-run')).toBeDisabled()

  // Small and long: the run keeps training while the test looks at it.
  await page.getByTestId('field-batchSize').fill('16')
  await page.getByTestId('field-ngf').fill('8')
  await page.getByTestId('field-ndf').fill('8')
  await page.getByTestId('field-length').fill('100000')
  await page.getByTestId('field-sampleEvery').fill('10')
  await page.getByTestId('field-checkpointEvery').fill('25')
  await page.getByTestId('run-name').fill('my digits')
  await page.screenshot({ path: join(SHOTS, '02-new-run.png'), fullPage: true })
  await page.getByTestId('create-run').click()

  // The run view: the chart gains points and the sample grid moves on.
  await expect(page.getByTestId('run-title')).toHaveText('my digits')
  await expect(page.getByTestId('status-badge')).toHaveText('running')
  await expect.poll(() => chartPoints(page), { timeout: 60_000 }).toBeGreaterThan(5)
  // The backend actually used, as people read it.
  await expect(page.getByTestId('run-backend')).toHaveText(/^wasm \((SIMD|no SIMD), \d+ threads?, GAN Studio kernels\)$/)
  const firstPoints = await chartPoints(page)
  await expect.poll(() => chartPoints(page)).toBeGreaterThan(firstPoints + 10)
  await expect(page.getByTestId('grid-iteration')).toHaveText(/iteration \d+/)
  const firstGrid = await page.getByTestId('grid-iteration').textContent()
  await expect(page.getByTestId('grid-iteration')).not.toHaveText(firstGrid!)
  await page.screenshot({ path: join(SHOTS, '03-run-training.png'), fullPage: true })

  // Pause: samples and a checkpoint at the paused iteration, and the server's figures stay there.
  await page.getByTestId('pause').click()
  await expect(page.getByTestId('status-badge')).toHaveText('paused')
  const pausedAt = await iteration(page)
  await expect(page.getByTestId('grid-iteration')).toHaveText(`iteration ${pausedAt.toLocaleString('en-US')}`)
  await page.getByTestId('tab-checkpoints').click()
  await expect(page.getByTestId('checkpoint-list').locator('tbody tr').first()).toHaveText(new RegExp(`^${pausedAt.toLocaleString('en-US')}pause`))
  await page.reload()
  await expect(page.getByTestId('iteration')).toHaveText(pausedAt.toLocaleString('en-US'))
  await expect(page.getByTestId('grid-iteration')).toHaveText(`iteration ${pausedAt.toLocaleString('en-US')}`)

  // Resume: it advances again.
  await page.getByTestId('start').click()
  await expect(page.getByTestId('status-badge')).toHaveText('running')
  await expect.poll(() => iteration(page)).toBeGreaterThan(pausedAt + 5)

  await page.getByTestId('tab-real').click()
  await expect(page.getByTestId('real-grid')).toBeVisible()
  await page.screenshot({ path: join(SHOTS, '04-real-vs-fake.png'), fullPage: true })
  await page.getByTestId('tab-config').click()
  await expect(page.getByTestId('config-table')).toContainText('Batch size')

  // Stop: a checkpoint, and the run can be resumed later.
  await page.getByTestId('stop').click()
  await expect(page.getByTestId('status-badge')).toHaveText('stopped')
  const stoppedAt = await iteration(page)

  // The server restarts (same port, same database); the page reconnects by itself.
  const port = Number(new URL(app.url).port)
  await app.stop()
  await expect(page.getByTestId('connection')).toBeVisible()
  app = await serve(dir, TOKEN, port)
  await expect(page.getByTestId('connection')).toBeHidden({ timeout: 30_000 })

  await page.getByTestId('nav-runs').click()
  const row = page.getByTestId('run-row').filter({ hasText: 'my digits' })
  await expect(row.getByTestId('status-badge')).toHaveText('stopped')
  await page.screenshot({ path: join(SHOTS, '05-runs-after-restart.png'), fullPage: true })
  await row.getByTestId('start').click()
  await expect(row.getByTestId('status-badge')).toHaveText('running')
  await expect.poll(async () => Number((await row.getByTestId('run-iteration').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(stoppedAt)
  await page.screenshot({ path: join(SHOTS, '06-runs-resumed.png'), fullPage: true })

  await row.getByTestId('stop').click()
  await expect(row.getByTestId('status-badge')).toHaveText('stopped')
})

test('requests without the token are refused', async ({ page, request }) => {
  const base = new URL(app.url)
  const bare = await request.get(`${base.origin}/`)
  expect(bare.status()).toBe(401)
  expect(await bare.text()).toMatch(/needs its token/)
  const wrong = await request.get(`${base.origin}/?token=nope`)
  expect(wrong.status()).toBe(401)
  // A page without the token cannot open the API socket either.
  await page.goto(`${base.origin}/favicon.svg`)
  const refused = await page.evaluate(
    (origin) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(origin.replace('http', 'ws') + '/api')
        ws.onopen = () => resolve('open')
        ws.onerror = () => resolve('refused')
      }),
    base.origin
  )
  expect(refused).toBe('refused')
})
