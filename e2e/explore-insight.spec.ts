// What a generator learned, in Explore, and whether it copies: SeFa and GANSpace sliders that move the
// image, a direction saved with the run and a walk along it exported, the nearest training images of a
// sample, and the memorization figure in the run view and in compare. Screenshots at 1024x700 and 1920x1080.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { watchErrors } from './page-errors'
import { serve, trainWithCli, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let app: ServedApp

/** A finished run trained by the CLI into the database the server will open. */
function train(name: string, iterations: number): void {
  trainWithCli(dir, ['--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16', '--iterations', String(iterations), '--swd-every', '0', '--name', name])
}

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-insight-'))
  train('digits', 40)
  train('shorter', 10)
  app = await serve(dir, 'e2e-insight-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function openExplore(page: Page): Promise<void> {
  await page.goto(app.url)
  await page.getByRole('link', { name: 'digits' }).click()
  await page.getByTestId('explore').click()
  const cells = page.getByTestId('sample-cell')
  await expect(cells).toHaveCount(16)
  for (const i of [0, 5]) await cells.nth(i).click()
  await expect(page.getByTestId('picked-item')).toHaveCount(2)
}

test('SeFa and GANSpace sliders move the image; a direction is saved, walked and exported; the nearest training images', async ({ page }) => {
  const errors = watchErrors(page)
  await page.setViewportSize({ width: 1024, height: 700 })
  await openExplore(page)
  await page.getByTestId('tab-directions').click()

  // SeFa by default: ten sliders, each with a strip of five frames, applied to the newest picked vector.
  const rows = page.getByTestId('direction-row')
  await expect(rows).toHaveCount(10)
  await expect(rows.first()).toContainText('SeFa 1')
  await expect(page.getByTestId('directions-base').locator('option:checked')).toHaveText('seed 1 #6')
  await expect(page.getByTestId('direction-strip-frame')).toHaveCount(50)
  await expect(page.getByTestId('directions-detail')).toContainText('eigenvectors of WᵀW, W being the first transposed convolution (4×4×32) with its BatchNorm')
  const image = page.getByTestId('directions-image')
  await expect(image).toBeVisible()
  const sliders = page.getByTestId('direction-slider')
  for (const [i, value] of [[0, '3'], [2, '-2.5']] as const) {
    const before = await image.getAttribute('src')
    await sliders.nth(i).fill(value)
    await expect(image).not.toHaveAttribute('src', before!)
  }
  await expect(page.getByTestId('directions-moved')).toHaveText('SeFa 1 +3.0σ, SeFa 3 -2.5σ')
  await page.screenshot({ path: join(SHOTS, '12-explore-directions-1024.png') })

  // Reset puts the picked vector's own image back.
  const moved = await image.getAttribute('src')
  await page.getByTestId('directions-reset').click()
  await expect(page.getByTestId('directions-moved')).toHaveText('not moved yet')
  await expect(image).not.toHaveAttribute('src', moved!)

  // GANSpace: other directions, computed once for this checkpoint; they move the image too.
  await page.getByTestId('directions-ganspace').click()
  await expect(page.getByTestId('directions-detail')).toContainText('PCA of the activations of the first transposed convolution (4×4×32) with its BatchNorm over 3,000 random z')
  await expect(rows.first()).toContainText('GANSpace 1')
  const before = await image.getAttribute('src')
  await sliders.nth(1).fill('4')
  await expect(image).not.toHaveAttribute('src', before!)

  // Save GANSpace 2 under a name: it stays with the run, after a reload too.
  await rows.nth(1).getByTestId('direction-save').click()
  await page.getByTestId('direction-name').fill('stroke width')
  await page.getByTestId('direction-save-confirm').click()
  await expect(rows).toHaveCount(11)
  await expect(rows.last()).toContainText('stroke width')
  await expect(rows.last()).toContainText('ganspace:2')
  await page.reload()
  // The picked vectors were saved with the run as they were picked: they are back without picking again.
  await expect(page.getByTestId('picked-item')).toHaveCount(2)
  await page.getByTestId('tab-directions').click()
  await expect(rows).toHaveCount(11)
  await expect(rows.first()).toContainText('SeFa 1')
  await expect(rows.last()).toContainText('stroke width')

  // A walk along the saved direction, exported as a strip: 9 frames of 32 px, padding 2, scale 2.
  await page.getByTestId('direction-export-which').selectOption({ label: 'stroke width' })
  // In the browser mode it downloads to the browser's machine by default, as every export does.
  await expect(page.getByTestId('direction-export-to-download')).toBeChecked()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('direction-export-run').click()])
  expect(download.suggestedFilename()).toMatch(/-stroke-width-\d+\.png$/)
  expect(await sharp(await download.path()).metadata()).toMatchObject({ format: 'png', width: (9 * 34 + 2) * 2, height: 36 * 2 })
  await expect(page.getByTestId('direction-export-result')).toContainText('to this computer')
  // Or on the server, at a path.
  await page.getByTestId('direction-export-to-server').check()
  const strip = join(dir, 'exports', 'stroke-width.png')
  await page.getByTestId('direction-export-path').fill(strip)
  await page.getByTestId('direction-export-run').click()
  await expect(page.getByTestId('direction-export-result')).toContainText('stroke-width.png')
  expect(await sharp(strip).metadata()).toMatchObject({ width: (9 * 34 + 2) * 2, height: 36 * 2 })
  // And as a GIF there and back: 9 frames each way.
  await page.getByTestId('direction-export-kind').selectOption('gif')
  const gif = join(dir, 'exports', 'stroke-width.gif')
  await page.getByTestId('direction-export-path').fill(gif)
  await page.getByTestId('direction-export-run').click()
  await expect(page.getByTestId('direction-export-result')).toContainText('stroke-width.gif')
  expect(await sharp(gif, { animated: true }).metadata()).toMatchObject({ pages: 18, width: 64, pageHeight: 64 })

  // The nearest training images of the moved vector: eight MNIST digits, nearest first, by index.
  await sliders.first().fill('2')
  await page.getByTestId('directions-nearest').click()
  await expect(page.getByTestId('nearest-which').locator('option:checked')).toHaveText('from Directions: seed 1 #6 (SeFa 1 +2.0σ)')
  const neighbours = page.getByTestId('nearest-neighbour')
  await expect(neighbours).toHaveCount(8, { timeout: 120_000 })
  await expect(page.getByTestId('nearest-stats')).toContainText('Searched all 10,000 mnist training images by pixel L2, exactly')
  const distances = (await page.getByTestId('nearest-distance').allTextContents()).map(Number)
  expect(distances).toEqual([...distances].sort((a, b) => a - b))
  expect(distances[0]).toBeGreaterThan(0)
  await expect(page.getByTestId('nearest-name').first()).toHaveText(/^#[\d,]+$/)
  await expect(page.getByTestId('nearest-verdict')).toContainText('training images typically are')
  await page.screenshot({ path: join(SHOTS, '13-explore-nearest-1024.png') })

  // Another image, and 4 of them: a new search.
  const first = await page.getByTestId('nearest-query').getAttribute('src')
  await page.getByTestId('nearest-which').selectOption({ label: 'seed 1 #1' })
  await page.getByTestId('nearest-k').selectOption('4')
  await expect(neighbours).toHaveCount(4)
  await expect(page.getByTestId('nearest-query')).not.toHaveAttribute('src', first!)

  // The same screens on a large window.
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: join(SHOTS, '13-explore-nearest-1920.png') })
  await page.getByTestId('tab-directions').click()
  await sliders.nth(3).fill('-3')
  await expect(page.getByTestId('directions-moved')).toContainText('SeFa 4 -3.0σ')
  await page.screenshot({ path: join(SHOTS, '12-explore-directions-1920.png') })
  expect(errors).toEqual([])
})

test('memorization: measured in the run view, shown there and in compare', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  await page.getByRole('link', { name: 'digits' }).click()
  await page.getByTestId('tab-real').click()
  await expect(page.getByTestId('memorization-panel')).toContainText('Not measured yet.')
  await page.getByTestId('memorization-measure').click()
  await expect(page.getByTestId('memorization-figure')).toHaveText(/^\d+(\.\d)?%$/, { timeout: 120_000 })
  await expect(page.getByTestId('memorization-detail')).toContainText('of 256 closer than')
  await expect(page.getByTestId('stat-memorization')).toHaveText(await page.getByTestId('memorization-figure').innerText())
  await expect(page.getByTestId('memorization-measure')).toHaveText('Measure again')
  await page.screenshot({ path: join(SHOTS, '14-run-memorization.png') })

  // Compare: the measured run shows its figure, the other one a dash until measured.
  const figure = await page.getByTestId('memorization-figure').innerText()
  await page.getByRole('button', { name: 'Back to runs' }).click()
  for (const check of await page.getByTestId('compare-check').all()) await check.check()
  await page.getByTestId('compare-selected').click()
  const names = await page.getByTestId('summary-row').locator('td:first-child').allInnerTexts()
  await expect(page.getByTestId('summary-memorization')).toHaveText(names.map((n) => (n.trim() === 'digits' ? figure : '–')))
  expect(errors).toEqual([])
})
