// A new user's first hour with the New run form and what follows: the preset that fits this machine, an
// estimate from a step timed here, refused values marked at their field, a form kept across screens; then
// the run view's totals, labels and shortcuts, and the runs list's dates, times, sorting, filtering and
// "new run from this config".
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend, releaseBackends } from '../src/main/training/backend'
import { writeImageFolder } from '../tests/fixtures/image-folder'
import { trainSmallRun } from './cli'
import { watchErrors } from './page-errors'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let photos: string
let app: ServedApp
/** Where a GPU backend works, the form starts on the paper's preset. */
let hasGpu = false
// The runs list's test looks at the run the form's test made.
test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-new-run-'))
  photos = join(dir, 'photos')
  await writeImageFolder(photos)
  trainSmallRun(dir, 'cli digits', 'builtin:mnist', 10, 5)
  // What auto picks here, as the core finds it for the form.
  const auto = await initBackend('auto')
  hasGpu = auto.name === 'tensorflow-gpu' || auto.name === 'webgpu'
  releaseBackends()
  app = await serve(dir, 'e2e-new-run-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('the form: the preset for this machine, a measured estimate, refusals at their field, kept across screens', async ({ page }) => {
  const errors = watchErrors(page)
  // The requests the page sends, to tell when it previews the data set again.
  const sent: string[] = []
  page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(String(frame.payload))))
  const previews = () => sent.filter((message) => message.includes('"method":"previewDataset"')).length
  await page.goto(app.url)
  await page.getByTestId('nav-new').click()

  // No GPU backend here: the CPU preset, marked as the one in use (the paper's where a GPU backend loads).
  await expect(page.getByTestId('active-preset')).toHaveText(hasGpu ? 'Using Paper (64 px)' : 'Using CPU quick (32 px)')
  await expect(page.getByTestId(hasGpu ? 'preset-paper' : 'preset-cpuQuick')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('field-imageSize')).toHaveValue(hasGpu ? '64' : '32')
  if (!hasGpu) await page.getByTestId('preset-cpuQuick').click()

  // Before Start: measuring, then the iterations, epochs and time from a step timed on this machine.
  const estimate = page.getByTestId('estimate')
  await expect(estimate).toHaveAttribute('data-state', 'measuring')
  await expect(estimate).toContainText('measuring')
  await expect(estimate).toHaveAttribute('data-state', 'measured', { timeout: 120_000 })
  // MNIST's 10,000 digits in batches of 64: 156 iterations an epoch.
  await expect(page.getByTestId('estimate-length')).toHaveText('1,200 iterations, 7.7 epochs')
  await expect(page.getByTestId('estimate-time')).toHaveText(/^about (\d+h)?(\d+m)?\d+s$/)
  await expect(page.getByTestId('estimate-detail')).toHaveText(/^\d+(\.\d)? m?s per iteration, measured on \w+/)
  // Another width is another model: measured again. The length alone is arithmetic. Neither is another data
  // set: the preview is not made again (it was, at every change, and Start was disabled while it ran).
  const previewsBefore = previews()
  expect(previewsBefore).toBeGreaterThan(0)
  await page.getByTestId('field-ngf').fill('16')
  await expect(page.getByTestId('active-preset')).toHaveText('Custom settings')
  await expect(estimate).toHaveAttribute('data-state', 'measuring')
  await expect(estimate).toHaveAttribute('data-state', 'measured', { timeout: 120_000 })
  await page.getByTestId('field-length').fill('312')
  await expect(page.getByTestId('estimate-length')).toHaveText('312 iterations, 2 epochs')
  expect(previews()).toBe(previewsBefore)
  await expect(page.getByTestId('create-run')).toBeEnabled()

  // The paper's preset is marked slow without a GPU.
  await page.getByTestId('preset-paper').click()
  await expect(page.getByTestId('active-preset')).toHaveText('Using Paper (64 px)')
  await expect(page.getByTestId('cpu-hint')).toBeVisible({ visible: !hasGpu })

  // The data: a radio group is one tab stop; the arrow keys choose within it.
  await page.getByTestId('source-builtin').focus()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('source-folder')).not.toBeFocused()
  await expect(page.getByTestId('builtin-select')).toBeFocused()
  await page.getByTestId('source-builtin').focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('source-folder')).toBeChecked()
  await page.getByTestId('folder-input').fill(photos)
  await expect(page.getByTestId('usable-count')).toHaveText('120')

  // A batch larger than the data set is refused at its field, and Start waits.
  await page.getByTestId('preset-cpuQuick').click()
  await page.getByTestId('field-batchSize').fill('200')
  await expect(page.getByTestId('error-batchSize')).toHaveText('batch size must be at most the data set’s 120 images: lower it, or add images')
  await expect(page.getByTestId('field-batchSize')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('create-run')).toBeDisabled()
  await page.getByTestId('field-batchSize').fill('16')
  await expect(page.getByTestId('error-batchSize')).toBeHidden()

  // Leave the form and come back: everything as it was.
  await page.getByTestId('field-ngf').fill('8')
  await page.getByTestId('field-ndf').fill('8')
  await page.getByTestId('field-length').fill('100000')
  await page.getByTestId('field-sampleEvery').fill('10')
  await page.getByTestId('field-checkpointEvery').fill('25')
  await page.getByTestId('run-name').fill('kept')
  await page.getByTestId('nav-runs').click()
  await expect(page.getByTestId('run-row')).toHaveCount(1)
  await page.getByTestId('nav-new').click()
  await expect(page.getByTestId('source-folder')).toBeChecked()
  await expect(page.getByTestId('folder-input')).toHaveValue(photos)
  await expect(page.getByTestId('field-ngf')).toHaveValue('8')
  await expect(page.getByTestId('field-batchSize')).toHaveValue('16')
  await expect(page.getByTestId('field-length')).toHaveValue('100000')
  await expect(page.getByTestId('run-name')).toHaveValue('kept')
  await expect(page.getByTestId('active-preset')).toHaveText('Custom settings')
  await expect(estimate).toHaveAttribute('data-state', 'measured', { timeout: 120_000 })
  await page.getByTestId('create-run').click()

  // The run view: training time while it trains; p pauses and resumes; a paused or stopped run shows totals.
  await expect(page.getByTestId('run-title')).toHaveText('kept')
  await expect(page.getByTestId('status-badge')).toHaveText('running')
  await expect(page.getByTestId('train-time')).toBeVisible()
  await expect(page.getByTestId('epoch')).toHaveText(/^epoch \d+$/, { timeout: 60_000 })
  await page.locator('body').press('p')
  await expect(page.getByTestId('status-badge')).toHaveText('paused')
  await expect(page.getByTestId('totals')).toHaveText(/^trained \d+s at \d+(\.\d+)? (it\/s|s\/it) on average$/)
  await page.locator('body').press('p')
  await expect(page.getByTestId('status-badge')).toHaveText('running')
  await page.getByTestId('stop').click()
  await expect(page.getByTestId('status-badge')).toHaveText('stopped')
  await expect(page.getByTestId('totals')).toBeVisible()

  // The Config tab speaks the form's words, and names the backend that ran.
  await page.locator('body').press('3')
  await expect(page.getByTestId('tab-config')).toHaveAttribute('aria-selected', 'true')
  const config = page.getByTestId('config-table')
  await expect(config.locator('tr[data-key=batchSize]')).toHaveText('Batch size16')
  await expect(config.locator('tr[data-key=ngf]')).toHaveText('Generator width (ngf)8')
  await expect(config.locator('tr[data-key=iterations]')).toHaveText('Training length100,000 iterations')
  await expect(config.locator('tr[data-key=backend] td')).toHaveText(/^\w+ \(in use\), chosen automatically$/)
  await expect(config.locator('tr[data-key=swdEvery] td')).toHaveText('automatic')

  // The help overlay lists the shortcuts that work here now (the grid's with the Samples tab); Escape closes it.
  await page.locator('body').press('1')
  await page.locator('body').press('?')
  const help = page.getByTestId('shortcut-help')
  await expect(help).toContainText('Pause or resume training')
  await expect(help).toContainText('Next sample grid')
  await page.screenshot({ path: join(SHOTS, '20-shortcut-help.png') })
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()
  expect(errors).toEqual([])
})

test('the runs list: created and training time, sorting, filtering, renaming, a new run from a run’s config', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  const rows = page.getByTestId('run-row')
  await expect(rows).toHaveCount(2)
  const names = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-run-name')))
  // Newest first.
  expect(await names()).toEqual(['kept', 'cli digits'])
  const cli = rows.filter({ hasText: 'cli digits' })
  await expect(cli.getByTestId('run-created')).toHaveText(/\d{4}/)
  await expect(cli.getByTestId('run-train-time')).toHaveText(/^\d+s$/)

  await page.getByTestId('sort-name').click()
  expect(await names()).toEqual(['cli digits', 'kept'])
  await page.getByTestId('sort-name').click()
  expect(await names()).toEqual(['kept', 'cli digits'])
  await expect(page.locator('th[aria-sort=descending]')).toContainText('Name')

  await page.getByTestId('run-filter').fill('mnist')
  expect(await names()).toEqual(['cli digits'])
  await expect(page.getByTestId('runs-shown')).toHaveText('1 of 2 runs')
  await page.getByTestId('run-filter').fill('')
  await page.getByTestId('status-filter').selectOption('stopped')
  expect(await names()).toEqual(['kept'])
  await page.getByTestId('status-filter').selectOption('')

  // Renaming: the editor takes the focus; Escape leaves the name as it was.
  await rows.filter({ hasText: 'kept' }).getByRole('button', { name: 'Rename kept' }).click()
  await expect(page.getByTestId('rename-input')).toBeFocused()
  await page.keyboard.type('something else')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('rename-input')).toBeHidden()
  await expect(rows.filter({ hasText: 'kept' }).locator('.run-name')).toHaveText('kept')

  // A new run from another run's config: its settings and data in the form.
  await cli.getByTestId('copy-config').click()
  await expect(page.getByTestId('copied-from')).toContainText('cli digits')
  await expect(page.getByTestId('source-builtin')).toBeChecked()
  await expect(page.getByTestId('builtin-select')).toHaveValue('builtin:mnist')
  await expect(page.getByTestId('field-ngf')).toHaveValue('8')
  await expect(page.getByTestId('field-batchSize')).toHaveValue('16')
  await expect(page.getByTestId('field-length')).toHaveValue('10')
  await expect(page.getByTestId('field-sampleEvery')).toHaveValue('5')
  await expect(page.getByTestId('run-name')).toHaveValue('')
  expect(errors).toEqual([])
})
