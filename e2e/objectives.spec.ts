// A small folder in the browser: the form suggests DiffAugment and EMA and says why; choosing WGAN-GP fills
// in its paper's settings and says the run trains on autograd, at what cost; the run view labels the
// critic's Wasserstein estimate and lists the settings; Explore shows the moving average or the trained
// generator.
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeImageFolder } from '../tests/fixtures/image-folder'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
let dir: string
let photos: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-objectives-'))
  photos = join(dir, 'few photos')
  await writeImageFolder(photos)
  app = await serve(dir, 'e2e-objectives-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a WGAN-GP run with DiffAugment and EMA on a small folder, from the form to Explore and compare', async ({ page }) => {
  const errors: Error[] = []
  page.on('pageerror', (error) => errors.push(error))
  await page.goto(app.url)
  await page.getByTestId('new-run').click()
  await page.getByTestId('source-folder').check()
  await page.getByTestId('folder-input').fill(photos)
  await expect(page.getByTestId('usable-count')).toHaveText('120')

  // 120 images: the form says why DiffAugment and EMA would help, and turns them on in one click.
  const hint = page.getByTestId('small-data-hint')
  await expect(hint).toContainText('120 images is a small data set')
  await page.screenshot({ path: join(SHOTS, '19-small-data-hint.png') })
  await page.getByTestId('use-small-data-options').click()
  await expect(hint).toBeHidden()
  for (const policy of ['color', 'translation', 'cutout']) await expect(page.getByTestId(`augment-${policy}`)).toBeChecked()
  await expect(page.getByTestId('field-ema')).toHaveValue('0.999')

  // WGAN-GP brings its paper's settings, and the form says the wasm engine cannot run it, with the cost.
  await expect(page.getByTestId('engine-note')).toBeHidden()
  await page.getByTestId('field-loss').selectOption('wgan-gp')
  await expect(page.getByTestId('field-optimizer')).toHaveValue('adam')
  await expect(page.getByTestId('field-lrD')).toHaveValue('0.0001')
  await expect(page.getByTestId('field-beta1')).toHaveValue('0')
  await expect(page.getByTestId('field-beta2')).toHaveValue('0.9')
  await expect(page.getByTestId('field-dStepsPerG')).toHaveValue('5')
  await expect(page.getByTestId('field-gpWeight')).toHaveValue('10')
  await expect(page.getByTestId('field-dNorm')).toHaveValue('layer')
  await expect(page.getByTestId('engine-note')).toContainText(/second-order gradient.*TF\.js autograd, at about [\d.]+x the engine's time per iteration/)
  // BatchNorm and the penalty do not go together: said next to the field, and the run cannot start.
  await page.getByTestId('field-dNorm').selectOption('batch')
  await expect(page.getByTestId('error-dNorm')).toContainText('the gradient penalty needs a discriminator without BatchNorm')
  await expect(page.getByTestId('create-run')).toBeDisabled()
  await page.getByTestId('field-dNorm').selectOption('layer')

  // Tiny and short.
  await page.getByTestId('preset-cpuQuick').click()
  await expect(page.getByTestId('field-lrD')).toHaveValue('0.0001') // a preset keeps the loss's settings
  await page.getByTestId('field-batchSize').fill('8')
  await page.getByTestId('field-ngf').fill('4')
  await page.getByTestId('field-ndf').fill('4')
  await page.getByTestId('field-dStepsPerG').fill('1')
  await page.getByTestId('field-length').fill('4')
  await page.getByTestId('field-checkpointEvery').fill('2')
  await page.getByTestId('run-name').fill('few wgan-gp')
  await page.screenshot({ path: join(SHOTS, '20-new-run-small-data.png'), fullPage: true })
  await page.getByTestId('create-run').click()

  await expect(page.getByTestId('run-title')).toHaveText('few wgan-gp')
  await expect(page.getByTestId('status-badge')).toHaveText('finished', { timeout: 120_000 })
  await expect(page.getByText('Critic: Wasserstein estimate')).toBeVisible()
  await expect(page.getByText('Wasserstein estimate C(x) − C(G(z))').first()).toBeVisible()
  // The fast engine's fallback is in sight where the run's speed is, with its cost.
  await expect(page.getByTestId('backend-notes')).toContainText(/gradient penalty .* autograd, at about 1\.7x/i)
  await page.screenshot({ path: join(SHOTS, '21-run-wgan-gp.png'), fullPage: true })
  await page.getByTestId('tab-config').click()
  const config = page.getByTestId('config-table')
  await expect(config.locator('tr[data-key="loss"]')).toContainText('WGAN-GP (gradient penalty)')
  await expect(config.locator('tr[data-key="augment"]')).toContainText('color, translation, cutout')
  await expect(config.locator('tr[data-key="ema"]')).toContainText('0.999')

  // Explore: the moving average by default; the trained generator draws other images.
  await page.getByTestId('explore').click()
  await expect(page.getByTestId('generator-select')).toHaveValue('ema')
  const first = page.getByTestId('sample-cell').first().locator('img')
  await expect(first).toHaveAttribute('src', /^data:image\/png/)
  const average = await first.getAttribute('src')
  await page.getByTestId('generator-select').selectOption('raw')
  await expect(first).not.toHaveAttribute('src', average!)
  await page.screenshot({ path: join(SHOTS, '22-explore-raw-generator.png'), fullPage: true })
  expect(errors).toEqual([])
})
