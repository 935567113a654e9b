// Exploring a trained generator in the browser: pick samples, interpolate, play a keyframe path, save a
// vector, and export a grid and a GIF that decode at the expected size.
import { expect, test } from '@playwright/test'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { startSmallRun } from './helpers'
import { watchErrors } from './page-errors'
import { serve, trainWithCli, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-explore-'))
  // A finished run to explore, trained by the CLI into the database the server will open.
  trainWithCli(dir, ['--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16', '--iterations', '30', '--checkpoint-every', '15', '--name', 'digits'])
  app = await serve(dir, 'e2e-explore-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function pixels(file: string): Promise<Buffer> {
  return sharp(file).raw().toBuffer()
}

test('pick, interpolate, walk a path, save a vector, export a grid, a strip, a model and a GIF', async ({ page }) => {
  const questions: string[] = []
  page.on('dialog', (dialog) => (questions.push(dialog.message()), dialog.accept()))
  const errors = watchErrors(page)
  await page.goto(app.url)
  await page.getByRole('link', { name: 'digits' }).click()
  await page.getByTestId('explore').click()
  // The newest checkpoint by default, followed while a run trains.
  await expect(page.getByTestId('checkpoint-select')).toHaveValue('latest')
  await expect(page.getByTestId('checkpoint-select').locator('option:checked')).toHaveText('latest (iteration 30)')

  const cells = page.getByTestId('sample-cell')
  await expect(cells).toHaveCount(16)
  for (const i of [0, 5, 10]) await cells.nth(i).click()
  await expect(page.getByTestId('picked-item')).toHaveCount(3)

  // The slider moves the image.
  const image = page.getByTestId('interp-image')
  await expect(image).toBeVisible()
  await page.getByTestId('mode-spherical').click()
  const before = await image.getAttribute('src')
  await page.getByTestId('interp-slider').fill('0.05')
  await expect(image).not.toHaveAttribute('src', before!)

  // A blank frame count is marked, not thrown; the strip keeps its last good count until a number is back.
  const frames = page.getByTestId('interp-frames')
  await frames.fill('')
  await expect(frames).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('strip-frame')).toHaveCount(8)
  await frames.fill('5')
  await expect(frames).toHaveAttribute('aria-invalid', 'false')
  await expect(page.getByTestId('strip-frame')).toHaveCount(5)
  // Another B and linear: the strip export below must follow this choice.
  await page.getByTestId('interp-b').selectOption({ label: 'seed 1 #11' })
  await page.getByTestId('mode-linear').click()
  await page.screenshot({ path: join(SHOTS, '07-explore-interpolate.png'), fullPage: true })

  // A 3-keyframe path plays.
  await page.getByTestId('tab-path').click()
  const keys = page.getByTestId('path-key')
  for (const i of [0, 1, 2]) await keys.nth(i).click()
  await page.getByTestId('play-path').click()
  await expect(page.getByTestId('path-image')).toBeVisible()
  const frameText = page.getByTestId('path-frame')
  const firstFrame = await frameText.textContent()
  await expect(frameText).not.toHaveText(firstFrame!)
  await expect(frameText).toHaveText(/frame \d+ \/ 36/) // 3 keys, 12 frames a segment, looping
  await page.screenshot({ path: join(SHOTS, '08-explore-path.png'), fullPage: true })
  // New options while it plays: the new path is rendered and played, never the old frames.
  await page.getByTestId('path-frames').fill('')
  await expect(page.getByTestId('path-frames')).toHaveAttribute('aria-invalid', 'true')
  await page.getByTestId('path-frames').fill('6')
  await expect(frameText).toHaveText(/frame \d+ \/ 18/)

  // The strip export is the interpolation chosen above: A to the third vector, linear, 5 frames.
  await page.getByTestId('tab-export').click()
  await page.getByTestId('export-to-server').check()
  await page.getByTestId('export-kind').selectOption('strip')
  await expect(page.getByTestId('export-strip-choice')).toContainText('From seed 1 #1 to seed 1 #11, linear')
  await expect(page.getByTestId('export-strip-frames')).toHaveValue('5')
  const strip = join(dir, 'exports', 'strip.png')
  await page.getByTestId('export-path').fill(strip)
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText('strip.png')
  const stripMeta = await sharp(strip).metadata()
  expect([stripMeta.width, stripMeta.height]).toEqual([(5 * 34 + 2) * 2, 36 * 2]) // 5 frames of 32 px, padding 2, scale 2
  // Back to the first two and slerp: another strip.
  await page.getByTestId('tab-interpolate').click()
  await page.getByTestId('interp-b').selectOption({ label: 'seed 1 #6' })
  await page.getByTestId('mode-spherical').click()
  await page.getByTestId('tab-export').click()
  await page.getByTestId('export-to-server').check()
  await expect(page.getByTestId('export-strip-choice')).toContainText('From seed 1 #1 to seed 1 #6, spherical')
  const strip2 = join(dir, 'exports', 'strip-2.png')
  await page.getByTestId('export-path').fill(strip2)
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText('strip-2.png')
  expect((await pixels(strip2)).equals(await pixels(strip))).toBe(false)

  // The model can be exported again into the same folder, after the same question as any export.
  await page.getByTestId('export-kind').selectOption('model')
  const model = join(dir, 'exports', 'model')
  await page.getByTestId('export-path').fill(model)
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText(`files in ${model}`)
  expect(questions).toEqual([])
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText(`files in ${model}`)
  await expect(page.getByTestId('export-error')).toBeHidden()
  expect(questions).toEqual([`${model} already holds a model (model.json and its weights). Replace it?`])
  expect(existsSync(join(model, 'model.json'))).toBe(true)

  // Every picked vector is saved with the run as it is picked: all three are there after a reload.
  await expect(page.getByTestId('saving-vector')).toHaveCount(0)
  await page.reload()
  await expect(page.getByTestId('picked-item')).toHaveCount(3)

  // Export the fixed-noise grid: 64 images of 32 px, 8 per row, padding 2, scale 2.
  await page.getByTestId('tab-export').click()
  await page.getByTestId('export-to-server').check()
  const grid = join(dir, 'exports', 'grid.png')
  await page.getByTestId('export-scale').selectOption('2')
  await page.getByTestId('export-path').fill(grid)
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText('grid.png')
  const gridMeta = await sharp(grid).metadata()
  expect([gridMeta.width, gridMeta.height, gridMeta.format]).toEqual([548, 548, 'png'])

  // Exporting again asks before replacing (the dialog is accepted above).
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText('grid.png')
  expect(questions.at(-1)).toBe(`${grid} already exists. Replace it?`)

  // A GIF of the path needs the keyframes chosen again after the reload (the vectors themselves were kept).
  await page.getByTestId('tab-path').click()
  for (const i of [0, 1, 2]) await keys.nth(i).click()
  await page.getByTestId('tab-export').click()
  await page.getByTestId('export-to-server').check()
  await page.getByTestId('export-kind').selectOption('gif')
  const gif = join(dir, 'exports', 'path.gif')
  await page.getByTestId('export-path').fill(gif)
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText('path.gif')
  expect(existsSync(gif)).toBe(true)
  const gifMeta = await sharp(gif, { animated: true }).metadata()
  expect(gifMeta.format).toBe('gif')
  expect(gifMeta.pages).toBe(36)
  expect([gifMeta.width, gifMeta.pageHeight]).toEqual([64, 64])
  await page.screenshot({ path: join(SHOTS, '09-explore-export.png'), fullPage: true })
  expect(errors).toEqual([])
})

test('explore a run while it trains: follow the newest checkpoint, keep a pruned one working', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  // A long run with a checkpoint every 20 iterations; training keeps only the newest 3.
  await startSmallRun(page, 'live', 20)
  await expect(page.getByTestId('explore')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('explore').click()

  // The newest checkpoint, followed as training saves new ones.
  const select = page.getByTestId('checkpoint-select')
  await expect(select).toHaveValue('latest', { timeout: 60_000 })
  const latest = select.locator('option[value="latest"]')
  const firstLatest = await latest.textContent()
  await expect(latest).not.toHaveText(firstLatest!)

  // Stay on the newest numbered checkpoint: training deletes it a few checkpoints later.
  const cells = page.getByTestId('sample-cell')
  await expect(cells).toHaveCount(16)
  for (const i of [0, 1]) await cells.nth(i).click()
  const oldest = await select.locator('option').last().getAttribute('value')
  await select.selectOption(oldest!)
  const image = page.getByTestId('interp-image')
  await expect(image).toBeVisible()
  await expect(select.locator(`option[value="${oldest}"]`)).toHaveText(`iteration ${Number(oldest).toLocaleString('en-US')} (deleted)`, { timeout: 60_000 })
  await expect(page.getByTestId('checkpoint-note')).toContainText(`Iteration ${Number(oldest).toLocaleString('en-US')} was deleted by training`)

  // Its generator still answers: the slider moves the image, with no error anywhere.
  for (const t of ['0.1', '0.9', '0.3']) {
    const before = await image.getAttribute('src')
    await page.getByTestId('interp-slider').fill(t)
    await expect(image).not.toHaveAttribute('src', before!)
  }
  await expect(page.getByText(/has no checkpoint at iteration/)).toHaveCount(0)
  await expect(page.getByTestId('error-banner')).toBeHidden()
  await expect(select).toHaveValue(oldest!)
  await page.screenshot({ path: join(SHOTS, '10-explore-while-training.png'), fullPage: true })

  // Back to the newest, which keeps moving on.
  await select.selectOption('latest')
  await expect(page.getByTestId('checkpoint-note')).toBeHidden()
  await page.getByRole('button', { name: 'Back to the run' }).click()
  await page.getByTestId('stop').click()
  await expect(page.getByTestId('status-badge')).toHaveText('stopped')
  expect(errors).toEqual([])
})
