// Training health in the browser: a run whose generator cannot learn (G's learning rate 1e-12: every noise
// vector keeps giving the same image) collapses; its alert shows as a marked stretch on the charts, a badge
// in the runs list, an explanation with what to try, and a column in compare; its suggested fix is one click.
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { trainSmallRun } from './cli'
import { watchErrors } from './page-errors'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-health-'))
  trainSmallRun(dir, 'steady', 'builtin:mnist', 30, 10)
  app = await serve(dir, 'e2e-health-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a run that collapses shows its alert on the charts, in the list and in compare, with its fix one click away', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  await expect(page.getByTestId('run-row')).toHaveCount(1)
  // A healthy little run: no badge.
  await expect(page.getByTestId('run-row').getByTestId('health-badge')).toHaveCount(0)

  await page.getByTestId('new-run').click()
  await page.getByTestId('preset-cpuQuick').click()
  await page.getByTestId('field-ngf').fill('8')
  await page.getByTestId('field-ndf').fill('8')
  await page.getByTestId('field-batchSize').fill('16')
  await page.getByTestId('field-lrG').fill('1e-12')
  await page.getByTestId('field-length').fill('100000')
  await page.getByTestId('field-sampleEvery').fill('10')
  await page.getByTestId('field-checkpointEvery').fill('50')
  await page.getByTestId('run-name').fill('collapsing')
  await page.getByTestId('create-run').click()
  await expect(page.getByTestId('run-title')).toHaveText('collapsing')

  // Until something is seen, the panel says what the checks look for.
  await expect(page.getByTestId('health-none')).toBeVisible()
  const alert = page.locator('[data-testid=health-alert][data-kind="mode-collapse"]')
  await expect(alert).toBeVisible({ timeout: 240_000 })
  await expect(alert).toHaveAttribute('data-ongoing', 'true')
  await expect(alert).toContainText(/Mode collapse\s*from iteration \d+\s*ongoing/)
  await expect(alert.getByTestId('health-advice')).toContainText('The generator produces nearly the same image for every noise vector')

  // The stretch is marked on every chart of the run, the diversity chart included.
  const marks = page.locator('[data-testid=chart-mark][data-kind="mode-collapse"]')
  await expect(marks).toHaveCount(4)
  await expect(marks.first()).toContainText('Mode collapse')
  const band = (await marks.first().boundingBox())!
  expect(band.width).toBeGreaterThan(20)
  await page.screenshot({ path: join(SHOTS, 'health-01-collapse-run.png'), fullPage: true })

  // In the list: a badge on the run's row.
  await page.getByTestId('nav-runs').click()
  const row = page.getByTestId('run-row').filter({ hasText: 'collapsing' })
  await expect(row.getByTestId('health-badge')).toHaveText('⚠ Mode collapse')
  await expect(row.getByTestId('health-badge')).toHaveAttribute('title', /^Mode collapse, from iteration \d+: sample diversity \d+% of the real images' and not rising$/)
  await page.screenshot({ path: join(SHOTS, 'health-02-runs-badge.png'), fullPage: true })

  // The fix, one click: a checkpoint, then on from it with label smoothing 0.1.
  await row.locator('a.run-name').click()
  const action = alert.getByTestId('health-action').filter({ hasText: 'Continue with label smoothing 0.1' })
  await expect(action).toHaveAttribute('title', 'Saves a checkpoint now and continues with Label smoothing 0 → 0.1')
  await expect(alert.getByTestId('health-action')).toHaveText(['Continue at half the learning rates', 'Continue with label smoothing 0.1'])
  await alert.screenshot({ path: join(SHOTS, 'health-03-explanation-and-actions.png') })
  await action.click()
  await page.getByTestId('tab-config').click()
  await expect(page.getByTestId('config-table')).toContainText(/Label smoothing\s*0\.1/)
  await expect(page.getByTestId('status-badge')).toHaveText('running')
  await page.getByTestId('stop').click()
  await expect(page.getByTestId('status-badge')).toHaveText('stopped')

  // Compare: the alerts of each run in the summary.
  await page.getByTestId('nav-runs').click()
  for (const name of ['steady', 'collapsing']) await page.getByTestId('run-row').filter({ hasText: name }).getByTestId('compare-check').check()
  await page.getByTestId('compare-selected').click()
  const health = page.getByTestId('summary-health')
  await expect(health).toHaveCount(2)
  await expect(health.nth(0)).toHaveText('none')
  await expect(health.nth(1)).toContainText(/Mode collapse from iteration \d+/)
  await page.getByTestId('summary-card').screenshot({ path: join(SHOTS, 'health-04-compare.png') })
  expect(errors).toEqual([])
})
