// Comparing two runs that differ in learning rate: both curves, only the differing settings, grids side by
// side moved by one slider, and the comparison exported as a PNG.
import { expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { serve, type ServedApp } from './server'

const ROOT = join(__dirname, '..')
const SHOTS = join(__dirname, 'screenshots')
let dir: string
let app: ServedApp

function train(name: string, lr: string): void {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'gan-studio.js'), 'train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16', '--iterations', '30',
      '--sample-every', '10', '--checkpoint-every', '10', '--lr', lr, '--name', name, '--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')],
    { cwd: ROOT, encoding: 'utf8' }
  )
  expect(result.status, result.stderr).toBe(0)
}

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-compare-'))
  train('slow-lr', '0.0002')
  train('fast-lr', '0.001')
  app = await serve(dir, 'e2e-compare-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('compare two runs with different learning rates', async ({ page }) => {
  await page.goto(app.url)
  await expect(page.getByTestId('run-row')).toHaveCount(2)
  await expect(page.getByTestId('compare-selected')).toBeDisabled()
  for (const check of await page.getByTestId('compare-check').all()) await check.check()
  await page.getByTestId('compare-selected').click()

  // Both runs' curves, every iteration of each.
  const charts = page.getByTestId('compare-chart')
  await expect(charts).toHaveCount(4)
  await expect(charts.first()).toHaveAttribute('data-points', '30,30')
  await expect(page.getByTestId('summary-row')).toHaveCount(2)
  // Each finished run has its SWD (computed when it finished), in the chart and as its best value.
  await expect(page.getByTestId('compare-swd')).toHaveAttribute('data-points', '1,1')
  await expect(page.getByTestId('summary-row').first().locator('td').nth(1)).toHaveText(/^\d+\.\d\d$/)

  // Every chart spans the same iterations when not zoomed: the SWD one too, though its one point is at the end.
  const allCharts = page.locator('[data-testid=compare-charts] .metric-chart')
  await expect(allCharts).toHaveCount(5)
  const drawnRanges = () => allCharts.evaluateAll((els) => els.map((e) => e.getAttribute('data-x-range')))
  await expect.poll(drawnRanges).toEqual(Array(5).fill('1,30'))
  const lossD = allCharts.first()
  const swdChart = page.getByTestId('compare-swd')
  await expect(lossD.getByTestId('chart-position')).toHaveText('latest: iteration 30')

  // Hover values are those at the cursor: mid-run, SWD (computed at the end only) has no value there.
  const over = (await lossD.locator('.u-over').boundingBox())!
  await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2)
  await expect(lossD.getByTestId('chart-position')).toHaveText(/^iteration 1[4-7]$/)
  await expect(swdChart.getByTestId('chart-position')).toHaveText((await lossD.getByTestId('chart-position').textContent())!)
  await expect(swdChart.getByTestId('chart-legend-entry')).toHaveText([/–/, /–/])
  await page.screenshot({ path: join(SHOTS, '11-compare-hover.png'), fullPage: true })
  await page.mouse.move(0, 0)

  // Training time leaves pauses out; every chart, SWD included, counts from the runs' start.
  await page.getByTestId('compare-x-axis').selectOption('training')
  await expect.poll(async () => new Set(await drawnRanges()).size).toBe(1)
  expect((await drawnRanges())[0]).toMatch(/^0,\d/)
  await page.getByTestId('compare-x-axis').selectOption('iteration')

  // Only the settings that differ, until asked for all.
  const rows = page.getByTestId('config-diff-row')
  await expect(rows).toHaveCount(2)
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual(['lrD', 'lrG'])
  await expect(rows.first()).toContainText('0.0002')
  await expect(rows.first()).toContainText('0.001')
  await page.getByTestId('differences-only').uncheck()
  await expect.poll(() => rows.count()).toBeGreaterThan(10)
  await page.getByTestId('differences-only').check()

  // Grids side by side, moved together by the shared slider.
  await expect(page.getByTestId('compare-grid')).toHaveCount(2)
  await expect(page.getByTestId('compare-iteration')).toHaveText('30')
  await page.getByTestId('compare-slider').fill('1')
  await expect(page.getByTestId('compare-iteration')).toHaveText('10')
  await expect(page.getByTestId('compare-grid-iteration')).toHaveText(['fixed noise, iteration 10', 'fixed noise, iteration 10'])
  // The same seed's samples, from each run's checkpoint at that iteration.
  await expect(page.getByTestId('compare-samples-label')).toHaveText(['seed 7, checkpoint 10', 'seed 7, checkpoint 10'])
  await page.screenshot({ path: join(SHOTS, '10-compare.png'), fullPage: true })

  // The comparison as a picture.
  const png = join(dir, 'exports', 'compare.png')
  await page.getByTestId('compare-export-path').fill(png)
  await page.getByTestId('compare-export').click()
  await expect(page.getByTestId('compare-export-result')).toContainText('compare.png')
  const meta = await sharp(png).metadata()
  expect(meta.format).toBe('png')
  expect(meta.width).toBeGreaterThan(2 * 274)

  // The summary and the differing settings as a table: one row per run, no column name twice.
  await page.getByLabel('Export', { exact: true }).selectOption('comparison-csv')
  const csv = join(dir, 'exports', 'compare.csv')
  await page.getByTestId('compare-export-path').fill(csv)
  await page.getByTestId('compare-export').click()
  await expect(page.getByTestId('compare-export-result')).toContainText('compare.csv')
  const [header, ...lines] = readFileSync(csv, 'utf8').trim().split(/\r\n/)
  const columns = header.split(',')
  expect(new Set(columns).size).toBe(columns.length)
  expect(columns).toContain('config.lrD')
  expect(lines).toHaveLength(2)
  const lrD = columns.indexOf('config.lrD')
  expect(lines.map((line) => line.split(',')[lrD]).sort()).toEqual(['0.0002', '0.001'])
})
