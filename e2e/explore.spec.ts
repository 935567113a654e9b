// Exploring a trained generator in the browser: pick samples, interpolate, play a keyframe path, save a
// vector, and export a grid and a GIF that decode at the expected size.
import { expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { serve, type ServedApp } from './server'

const ROOT = join(__dirname, '..')
const SHOTS = join(__dirname, 'screenshots')
let dir: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-explore-'))
  // A finished run to explore, trained by the CLI into the database the server will open.
  const trained = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'gan-studio.js'), 'train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16',
      '--iterations', '30', '--checkpoint-every', '15', '--name', 'digits', '--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')],
    { cwd: ROOT, encoding: 'utf8' }
  )
  expect(trained.status, trained.stderr).toBe(0)
  app = await serve(dir, 'e2e-explore-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('pick, interpolate, walk a path, save a vector, export a grid and a GIF', async ({ page }) => {
  page.on('dialog', (dialog) => dialog.accept())
  await page.goto(app.url)
  await page.getByRole('link', { name: 'digits' }).click()
  await page.getByTestId('explore').click()
  await expect(page.getByTestId('checkpoint-select')).toHaveValue('30')

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

  // A saved vector is still there after a reload.
  await page.getByTestId('save-vector').first().click()
  await expect(page.getByTestId('save-vector').first()).toHaveText('Saved')
  await page.reload()
  await expect(page.getByTestId('picked-item')).toHaveCount(1)

  // Export the fixed-noise grid: 64 images of 32 px, 8 per row, padding 2, scale 2.
  await page.getByTestId('tab-export').click()
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

  // A GIF of the path needs the keyframes again after the reload: pick three and choose them.
  for (const i of [1, 2]) await cells.nth(i).click()
  await page.getByTestId('tab-path').click()
  for (const i of [0, 1, 2]) await keys.nth(i).click()
  await page.getByTestId('tab-export').click()
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
})
