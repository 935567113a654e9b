// A new user's first hour in the browser mode, where it used to go wrong: Browse with the folder field
// empty, picked vectors after leaving Explore, the server going away and coming back; and the browser mode
// used from another machine: images uploaded from it, exports downloaded to it.
import { expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pipeline } from 'node:stream/promises'
import sharp from 'sharp'
import * as yazl from 'yazl'
import { BAD_FILES, writeImageFolder } from '../tests/fixtures/image-folder'
import { watchErrors } from './page-errors'
import { serve, type ServedApp } from './server'

const ROOT = join(__dirname, '..')
const SHOTS = join(__dirname, 'screenshots')
const TOKEN = 'e2e-first-hour-token'
let dir: string
let home: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-first-hour-'))
  // The server's home folder, with an image folder in it: what Browse opens when the field is empty.
  home = join(dir, 'home')
  await writeImageFolder(join(home, 'my photos'), 24)
  mkdirSync(join(home, 'Documents'))
  const trained = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'gan-studio.js'), 'train', '--data', 'builtin:mnist', '--size', '32', '--ngf', '8', '--ndf', '8', '--batch', '16',
      '--iterations', '20', '--checkpoint-every', '10', '--name', 'digits', '--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')],
    { cwd: ROOT, encoding: 'utf8' }
  )
  expect(trained.status, trained.stderr).toBe(0)
  app = await serve(dir, TOKEN, 0, { HOME: home })
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('Browse with the folder field empty opens the home folder; the browser and the preview count alike', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  await page.getByTestId('nav-new').click()
  await page.getByTestId('source-folder').check()
  await expect(page.getByTestId('folder-input')).toHaveValue('')
  await page.getByTestId('browse').click()

  const browser = page.getByTestId('folder-browser')
  await expect(browser).toBeVisible()
  await expect(page.getByTestId('folder-path')).toHaveValue(home)
  await expect(browser.getByText(/Invalid input|browseFolder/)).toHaveCount(0)
  await expect(browser.getByTestId('folder-entry')).toHaveText(['Documents', 'my photos'])
  // Folder icons are drawn, not an emoji the system font may lack.
  await expect(browser.getByTestId('folder-entry').first().getByTestId('folder-icon')).toBeVisible()
  expect(await browser.locator('ul').textContent()).not.toMatch(/\p{Extended_Pictographic}/u)
  await page.screenshot({ path: join(SHOTS, 'a1-browse-empty-field.png') })

  // Into the image folder: 24 digits and 4 broken image files, in it and its subfolders (the .txt is no image).
  await browser.getByTestId('folder-entry').filter({ hasText: 'my photos' }).click()
  await expect(page.getByTestId('folder-path')).toHaveValue(join(home, 'my photos'))
  await expect(page.getByTestId('folder-image-count')).toContainText('28 image files in this folder and its subfolders')
  await page.getByTestId('use-folder').click()
  await expect(page.getByTestId('folder-input')).toHaveValue(join(home, 'my photos'))
  await expect(page.getByTestId('usable-count')).toHaveText('24')
  await expect(page.getByTestId('image-files')).toHaveText('of 28 image files found')

  // A path that does not exist opens its nearest existing parent, and says so.
  await page.getByTestId('folder-input').fill(join(home, 'my photos', 'gone', 'deeper'))
  await page.getByTestId('browse').click()
  await expect(page.getByTestId('folder-path')).toHaveValue(join(home, 'my photos'))
  await expect(page.getByTestId('folder-missing')).toContainText(`${join(home, 'my photos', 'gone', 'deeper')} does not exist`)
  await page.screenshot({ path: join(SHOTS, 'a2-browse-missing-path.png') })
  expect(errors).toEqual([])
})

test('picked vectors are kept with the run: leave Explore and come back, they are all there', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  await page.getByRole('link', { name: 'digits' }).click()
  await page.getByTestId('explore').click()
  const cells = page.getByTestId('sample-cell')
  await expect(cells).toHaveCount(16)
  for (const i of [2, 7, 11]) await cells.nth(i).click()
  await expect(page.getByTestId('picked-item')).toHaveCount(3)
  // A rename is kept too.
  await page.getByTestId('vector-name').nth(1).fill('the good one')
  await page.getByTestId('vector-name').nth(1).press('Enter')
  await expect(page.getByTestId('saving-vector')).toHaveCount(0)
  await expect(page.getByTestId('save-vector')).toHaveCount(0)

  // Leave for the run view and come back, without saving anything by hand.
  await page.getByRole('button', { name: 'Back to the run' }).click()
  await expect(page.getByTestId('run-title')).toHaveText('digits')
  await page.getByTestId('explore').click()
  await expect(page.getByTestId('picked-item')).toHaveCount(3)
  const names = () => page.getByTestId('vector-name').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value))
  await expect.poll(names).toEqual(['seed 1 #3', 'the good one', 'seed 1 #12'])
  // Picking a sample that is already picked adds no copy of it.
  await cells.nth(7).click()
  await expect(page.getByTestId('picked-item')).toHaveCount(3)
  await expect(page.getByTestId('picked-item').locator('img')).toHaveCount(3)
  await page.screenshot({ path: join(SHOTS, 'a3-explore-after-coming-back.png'), fullPage: true })
  expect(errors).toEqual([])
})

test('while the server is unreachable the page says so and disables its controls; stale errors clear when it is back', async ({ page }) => {
  const errors = watchErrors(page)
  // The socket goes through a proxy that can cut the connection just as a rename is sent.
  let cutOnRename = false
  await page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      if (cutOnRename && String(message).includes('"renameRun"')) {
        cutOnRename = false
        ws.close()
        return
      }
      server.send(message)
    })
  })
  await page.goto(app.url)
  const row = page.getByTestId('run-row').filter({ hasText: 'digits' })
  await expect(row).toBeVisible()

  // A plain sentence for bad input, without the method's name.
  await row.getByRole('button', { name: 'Rename digits' }).click()
  await page.getByLabel('New name').fill('')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('error-banner')).toHaveText(/^A run name cannot be empty\./)
  await page.getByRole('button', { name: 'Dismiss' }).click()

  // The connection drops under a rename: the error says so, and clears once the page has reconnected.
  cutOnRename = true
  await page.getByLabel('New name').fill('renamed')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('error-banner')).toContainText('the connection to GAN Studio was lost before it answered')
  await expect(page.getByTestId('error-banner')).toBeHidden()

  // The server stops: a banner at the top says so, and the controls are disabled.
  const port = Number(new URL(app.url).port)
  await app.stop()
  await expect(page.getByTestId('offline-banner')).toBeVisible()
  await expect(page.getByTestId('offline-banner')).toContainText('Not connected to GAN Studio.')
  await expect(page.getByTestId('new-run')).toBeDisabled()
  await page.screenshot({ path: join(SHOTS, 'a4-server-unreachable.png') })

  // Back on the same port: the banner goes, the controls work again.
  app = await serve(dir, TOKEN, port, { HOME: home })
  await expect(page.getByTestId('offline-banner')).toBeHidden()
  await expect(page.getByTestId('new-run')).toBeEnabled()
  await expect(page.getByTestId('error-banner')).toBeHidden()
  expect(errors).toEqual([])
})

test('images on the browser’s machine: upload a folder with progress, then a zip; the preview reports skipped files as for a local folder', async ({ page }) => {
  const errors = watchErrors(page)
  const laptop = join(dir, 'laptop', 'beach photos')
  await writeImageFolder(laptop, 30)
  await page.goto(app.url)
  await page.getByTestId('nav-new').click()
  await page.getByTestId('source-folder').check()

  // The last file waits until the progress has been seen (and photographed).
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  let sent = 0
  await page.route(/\/upload\/[0-9a-f]+\/file/, async (route) => {
    if (++sent === 34) await held
    await route.continue()
  })
  await page.getByTestId('upload-folder-input').setInputFiles(laptop)
  await expect(page.getByTestId('upload-progress')).toContainText(/Uploading \d+ \/ 34 files/)
  await page.screenshot({ path: join(SHOTS, 'a5-upload-progress.png') })
  release()
  const uploaded = join(dir, 'uploads', 'beach photos')
  await expect(page.getByTestId('upload-done')).toHaveText(`Uploaded 34 files to ${uploaded} on the server.`)
  await expect(page.getByTestId('folder-input')).toHaveValue(uploaded)
  // The same report as a local folder (the dangling link never left the laptop: a browser cannot read it).
  await expect(page.getByTestId('usable-count')).toHaveText('30')
  const { 'dangling.png': _, ...skipped } = BAD_FILES
  const rows = page.getByTestId('skipped-row')
  await expect(rows).toHaveCount(Object.keys(skipped).length)
  for (const [file, reason] of Object.entries(skipped)) await expect(rows.filter({ hasText: file })).toContainText(reason)
  await page.screenshot({ path: join(SHOTS, 'a6-upload-skipped-report.png'), fullPage: true })
  await page.unroute(/\/upload\//)

  // A zip of a folder works the same way.
  const zipPath = join(dir, 'laptop', 'digits.zip')
  const zip = new yazl.ZipFile()
  const walk = (at: string): string[] => readdirSync(at, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(at, e.name)) : e.isFile() ? [join(at, e.name)] : []))
  for (const file of walk(laptop)) zip.addBuffer(readFileSync(file), `digits/${relative(laptop, file)}`)
  zip.end()
  await pipeline(zip.outputStream, createWriteStream(zipPath))
  await page.getByTestId('upload-zip-input').setInputFiles(zipPath)
  await expect(page.getByTestId('upload-done')).toHaveText(`Uploaded 34 files to ${join(dir, 'uploads', 'digits')} on the server.`)
  await expect(page.getByTestId('usable-count')).toHaveText('30')
  expect(readdirSync(join(dir, 'uploads')).filter((n) => n.startsWith('.'))).toEqual([])
  expect(errors).toEqual([])
})

test('exports download to the browser’s machine; the server-side path stays an option', async ({ page }) => {
  const errors = watchErrors(page)
  await page.goto(app.url)
  await page.getByRole('link', { name: /digits|renamed/ }).click()
  await page.getByTestId('explore').click()
  await page.getByTestId('tab-export').click()
  await expect(page.getByTestId('export-to-download')).toBeChecked()
  await page.getByTestId('export-scale').selectOption('2')
  const [grid] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()])
  expect(grid.suggestedFilename()).toMatch(/-grid-fixed-20\.png$/)
  const gridMeta = await sharp(await grid.path()).metadata()
  expect([gridMeta.format, gridMeta.width, gridMeta.height]).toEqual(['png', 548, 548]) // 64 images of 32 px, 8 a row, padding 2, 2x
  await expect(page.getByTestId('export-result')).toContainText('to this computer')

  await page.getByTestId('export-kind').selectOption('model')
  const [model] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()])
  expect(model.suggestedFilename()).toMatch(/-generator-20\.zip$/)
  expect(readFileSync(await model.path()).subarray(0, 2).toString()).toBe('PK')
  await page.screenshot({ path: join(SHOTS, 'a7-export-download.png'), fullPage: true })

  // Still possible: a path on the server.
  await page.getByTestId('export-to-server').check()
  const onServer = join(dir, 'exports', 'metrics.csv')
  await page.getByTestId('export-kind').selectOption('metrics')
  await page.getByTestId('export-path').fill(onServer)
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-result')).toContainText(onServer)
  expect(existsSync(onServer)).toBe(true)
  expect(errors).toEqual([])
})
