// A conditional GAN in the browser: a folder of class subfolders in the New run form (its classes in the
// preview, a flat folder refused with the reason), the run's grid a row per class, and Explore by class:
// samples of one class, an interpolation from one class to another, a grid exported a row per class.
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { writeClassFolder } from '../tests/fixtures/image-folder'
import { watchErrors } from './page-errors'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let pets: string
let flat: string
let app: ServedApp

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-conditional-'))
  pets = join(dir, 'pets')
  await writeClassFolder(pets, { cats: 0, dogs: 1, eels: 7 }, 20)
  // The same kind of images, all in the folder itself.
  flat = join(dir, 'flat')
  await writeClassFolder(flat, { threes: 3 }, 20)
  for (const name of readdirSync(join(flat, 'threes'))) renameSync(join(flat, 'threes', name), join(flat, name))
  rmdirSync(join(flat, 'threes'))
  app = await serve(dir, 'e2e-conditional-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('create a conditional run from a folder of class subfolders; its grid has a row per class', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  await page.getByTestId('new-run').click()
  await page.getByTestId('source-folder').check()
  await page.getByTestId('preset-cpuQuick').click()

  // A folder without subfolders: a conditional run is refused in the form, with the way out.
  await page.getByTestId('folder-input').fill(flat)
  await expect(page.getByTestId('usable-count')).toHaveText('20')
  await expect(page.getByTestId('dataset-classes')).toHaveCount(0)
  await page.getByTestId('field-conditional').check()
  await expect(page.getByTestId('error-conditional')).toContainText(`A conditional run needs classes, and ${flat} has no subfolders`)
  await expect(page.getByTestId('error-conditional')).toContainText('or untick “Conditional on classes”')
  await expect(page.getByTestId('create-run')).toBeDisabled()

  // The folder of classes: the preview lists them with their counts and flags the small ones.
  await page.getByTestId('folder-input').fill(pets)
  await expect(page.getByTestId('usable-count')).toHaveText('60')
  await expect(page.getByTestId('class-count')).toHaveText('3 classes')
  await expect(page.getByTestId('class-row')).toHaveText(['cats 20', 'dogs 20', 'eels 20'])
  await expect(page.getByTestId('few-images-warning')).toContainText('3 classes have fewer than 50 images')
  await expect(page.getByTestId('error-conditional')).toBeHidden()

  // With another loss and the generator's moving average: a conditional run takes every training option.
  await page.getByTestId('field-loss').selectOption('hinge')
  await page.getByTestId('field-ema').fill('0.9')
  await page.getByTestId('field-batchSize').fill('12')
  await page.getByTestId('field-ngf').fill('8')
  await page.getByTestId('field-ndf').fill('8')
  await page.getByTestId('field-nz').fill('16')
  await page.getByTestId('field-length').fill('100000')
  await page.getByTestId('field-sampleEvery').fill('10')
  await page.getByTestId('field-checkpointEvery').fill('20')
  await page.getByTestId('run-name').fill('pets')
  await page.screenshot({ path: join(SHOTS, '24-conditional-new-run.png'), fullPage: true })
  await expect(page.getByTestId('create-run')).toBeEnabled()
  await page.getByTestId('create-run').click()

  // The run's grid: a row per class, named beside it.
  await expect(page.getByTestId('status-badge')).toHaveText('running')
  await expect(page.getByTestId('grid-class-labels').locator('li')).toHaveText(['cats', 'dogs', 'eels'])
  await expect(page.getByTestId('grid-iteration')).toHaveText(/iteration [1-9]/, { timeout: 60_000 })
  await page.getByTestId('tab-config').click()
  await expect(page.getByTestId('config-table').locator('tr[data-key="conditional"] td')).toHaveText('yes, 3 classes: cats (20), dogs (20), eels (20)')
  await expect(page.getByTestId('config-table').locator('tr[data-key="model"] td')).toContainText('DCGAN 32 px, conditional on 3 classes')
  await expect(page.getByTestId('config-table').locator('tr[data-key="loss"] td')).toHaveText('Hinge (SNGAN, BigGAN)')
  await page.getByTestId('tab-samples').click()
  // A checkpoint to explore, then stop.
  await expect(page.getByTestId('explore')).toBeEnabled({ timeout: 60_000 })
  await page.screenshot({ path: join(SHOTS, '25-conditional-run.png'), fullPage: true })
  await page.getByTestId('stop').click()
  await expect(page.getByTestId('status-badge')).toHaveText('stopped')
  expect(errors).toEqual([])
})

test('explore by class: samples of one class, one vector from one class to another, a grid a row per class', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  await page.getByRole('link', { name: 'pets' }).click()
  await page.getByTestId('explore').click()

  // Every class at first, a row each; then one class.
  const cells = page.getByTestId('sample-cell')
  await expect(page.getByTestId('sample-class-rows')).toHaveText('Rows: 0 (cats), 1 (dogs), 2 (eels)')
  await expect(cells).toHaveCount(15) // 16 asked for: 5 a class
  // The moving average draws by default; the trained generator, a row per class too, draws other images.
  await expect(page.getByTestId('generator-select')).toHaveValue('ema')
  const first = cells.first().locator('img')
  await expect(first).toHaveAttribute('src', /^data:image\/png/)
  const average = await first.getAttribute('src')
  await page.getByTestId('generator-select').selectOption('raw')
  await expect(first).not.toHaveAttribute('src', average!)
  await expect(page.getByTestId('sample-class-rows')).toHaveText('Rows: 0 (cats), 1 (dogs), 2 (eels)')
  await page.getByTestId('generator-select').selectOption('ema')
  await expect(first).toHaveAttribute('src', average!)
  await page.getByTestId('sample-class').selectOption({ label: '1 (dogs)' })
  await expect(page.getByTestId('sample-class-rows')).toBeHidden()
  await expect(cells).toHaveCount(16)
  await cells.nth(0).click()
  await cells.nth(3).click()
  await expect(page.getByTestId('picked-class')).toHaveText(['class 1 (dogs)', 'class 1 (dogs)'])

  // The same vector from dogs to eels: the image moves with the slider between the classes' embeddings.
  await page.getByTestId('interp-b').selectOption({ index: 0 })
  await page.getByTestId('interp-b-class').selectOption({ label: '2 (eels)' })
  const image = page.getByTestId('interp-image')
  await page.getByTestId('interp-slider').fill('0')
  await expect(image).toBeVisible()
  const asDog = await image.getAttribute('src')
  await page.getByTestId('interp-slider').fill('1')
  await expect(image).not.toHaveAttribute('src', asDog!)
  await expect(page.getByTestId('strip-frame')).toHaveCount(8)
  await page.screenshot({ path: join(SHOTS, '26-explore-by-class.png'), fullPage: true })

  // Its dimensions, and its class, one by one.
  await page.getByTestId('picked-item').first().getByRole('button', { name: 'Edit' }).click()
  await expect(page.getByTestId('dimension-slider')).toHaveCount(16)
  const edited = page.getByTestId('dimension-image')
  await expect(edited).toBeVisible()
  const before = await edited.getAttribute('src')
  await page.getByTestId('dimension-class').selectOption({ label: '0 (cats)' })
  await expect(edited).not.toHaveAttribute('src', before!)

  // The run's fixed noise as a grid, a row per class, 4 a class, scale 1.
  await page.getByTestId('tab-export').click()
  await expect(page.getByTestId('export-class')).toHaveValue('')
  await page.getByTestId('export-per-row').fill('4')
  await page.getByTestId('export-scale').selectOption('1')
  const grid = join(dir, 'exports', 'per-class.png')
  await page.getByTestId('export-to-server').check()
  await page.getByTestId('export-path').fill(grid)
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText('per-class.png')
  const meta = await sharp(grid).metadata()
  expect([meta.width, meta.height]).toEqual([4 * 34 + 2, 3 * 34 + 2])
  await page.screenshot({ path: join(SHOTS, '27-explore-export-per-class.png'), fullPage: true })
  expect(errors).toEqual([])
})
