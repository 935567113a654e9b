// Comparing two runs that differ in learning rate: both curves, only the differing settings, grids side by
// side moved by one slider, and the comparison exported as a PNG. Then runs on different data sets with
// different schedules: what is shown is labelled with the iteration it is from, and SWD is said not to be
// comparable.
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { RUN_COLORS } from '../src/shared/compare'
import { trainSmallRun } from './cli'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-compare-'))
  trainSmallRun(dir, 'slow-lr', 'builtin:mnist', 30, 10, ['--lr', '0.0002'])
  trainSmallRun(dir, 'fast-lr', 'builtin:mnist', 30, 10, ['--lr', '0.001'])
  // Another data set, twice as long, a grid and a checkpoint every 20 iterations.
  trainSmallRun(dir, 'fashion', 'builtin:fashion-mnist', 60, 20)
  app = await serve(dir, 'e2e-compare-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('compare two runs with different learning rates', async ({ page }) => {
  await page.goto(app.url)
  await expect(page.getByTestId('run-row')).toHaveCount(3)
  await expect(page.getByTestId('compare-selected')).toBeDisabled()
  for (const name of ['slow-lr', 'fast-lr']) await page.getByTestId('run-row').filter({ hasText: name }).getByTestId('compare-check').check()
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

  // The comparison as a picture: the grids at 1x, without the charts.
  const png = join(dir, 'exports', 'compare.png')
  await page.getByTestId('compare-export-scale').selectOption('1')
  await page.getByTestId('compare-export-charts').uncheck()
  await page.getByTestId('compare-export-to-server').check()
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

/** Pixels of this colour (within a few levels) in the rows from `top` down. */
async function pixelsOfColor(file: string, color: string, top: number): Promise<number> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
  let count = 0
  for (let i = top * info.width * 3; i < data.length; i += 3) {
    if (Math.abs(data[i] - r) < 8 && Math.abs(data[i + 1] - g) < 8 && Math.abs(data[i + 2] - b) < 8) count++
  }
  return count
}

test('runs on different data sets and schedules: the nearest grid and checkpoint, labelled; SWD not comparable; a scaled PNG with the charts', async ({ page }) => {
  await page.goto(app.url)
  for (const name of ['slow-lr', 'fashion']) await page.getByTestId('run-row').filter({ hasText: name }).getByTestId('compare-check').check()
  await page.getByTestId('compare-selected').click()
  await expect(page.getByTestId('summary-row')).toHaveCount(2)

  // SWD is measured against each run's own data: said where the figures stand side by side.
  await expect(page.getByTestId('swd-not-comparable')).toContainText('SWD is not comparable across these runs')
  await expect(page.getByTestId('swd-not-comparable')).toContainText('mnist, 32 px grayscale; fashion-mnist, 32 px grayscale')
  await expect(page.getByTestId('swd-chart-note')).toBeVisible()

  // Grids at 0, 10, 20, 30 and at 0, 20, 40, 60; checkpoints kept at 10, 20, 30 and at 20, 40, 60.
  await expect(page.getByTestId('compare-grid')).toHaveCount(2)
  await page.getByTestId('compare-slider').fill('1')
  await expect(page.getByTestId('compare-iteration')).toHaveText('10')
  await expect(page.getByTestId('compare-grid-iteration')).toHaveText(['fixed noise, iteration 10', 'fixed noise, iteration 20 (nearest to 10)'])
  await expect(page.getByTestId('compare-samples-label')).toHaveText(['seed 7, checkpoint 10', 'seed 7, checkpoint 20 (nearest to 10)'])
  await page.getByTestId('compare-slider').fill('4')
  await expect(page.getByTestId('compare-iteration')).toHaveText('40')
  await expect(page.getByTestId('compare-grid-iteration')).toHaveText(['fixed noise, iteration 30 (nearest to 40)', 'fixed noise, iteration 40'])
  await expect(page.getByTestId('compare-samples-label')).toHaveText(['seed 7, checkpoint 30 (nearest to 40)', 'seed 7, checkpoint 40'])
  // The shortcuts move the same slider.
  await page.locator('body').press('[')
  await expect(page.getByTestId('compare-iteration')).toHaveText('30')
  await page.locator('body').press(']')
  await expect(page.getByTestId('compare-iteration')).toHaveText('40')

  // The picture at 2x with the charts: two 274 px grids doubled, gaps of 16 px, 44 px of labels; below,
  // five charts of 180 px, two a row; the runs' colours drawn in them.
  const png = join(dir, 'exports', 'compare-charts.png')
  await page.getByTestId('compare-export-scale').selectOption('2')
  await expect(page.getByTestId('compare-export-charts')).toBeChecked()
  await page.getByTestId('compare-export-to-server').check()
  await page.getByTestId('compare-export-path').fill(png)
  await page.getByTestId('compare-export').click()
  await expect(page.getByTestId('compare-export-result')).toContainText('compare-charts.png')
  const meta = await sharp(png).metadata()
  const gridsHeight = 2 * 274 + 44 + 2 * 16
  expect([meta.width, meta.height]).toEqual([2 * 2 * 274 + 3 * 16, gridsHeight + 3 * 180 + 16])
  for (const color of RUN_COLORS.slice(0, 2)) expect(await pixelsOfColor(png, color, gridsHeight)).toBeGreaterThan(200)
})
