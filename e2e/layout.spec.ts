// Every screen at a small (1024x700) and a large (1920x1080) window: screenshots to look at (under
// e2e/screenshots/layout-*), and the layout facts that must hold: nothing wider than the window, the sidebar
// collapsed in the small one, the runs table's controls in view, Start training reachable without
// scrolling, tabs unclipped. Also the keyboard: tabs one tab stop, dialogs closed by Escape.
import { expect, test, type Locator, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { trainSmallRun } from './cli'
import { watchErrors } from './page-errors'
import { serve, type ServedApp } from './server'

const SHOTS = join(__dirname, 'screenshots')
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 }
]
let dir: string
let app: ServedApp

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'gan-e2e-layout-'))
  trainSmallRun(dir, 'digits', 'builtin:mnist', 30, 10)
  trainSmallRun(dir, 'fashion', 'builtin:fashion-mnist', 60, 20)
  app = await serve(dir, 'e2e-layout-token')
})

test.afterAll(async () => {
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** The page is no wider than the window: nothing cut off at the right or scrolled sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  // Expressions run in the page (this file is compiled without the DOM's types).
  const [scrollWidth, innerWidth] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as number[]
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth)
}

/** Wholly inside the window as it is now (not scrolled to). */
async function expectWhollyInWindow(locator: Locator, size: { width: number; height: number }): Promise<void> {
  const box = (await locator.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(size.width)
  expect(box.y + box.height).toBeLessThanOrEqual(size.height)
}

/** Wholly inside `container` (a scroll box or a tab list): not clipped by it. */
async function expectInside(locator: Locator, container: Locator): Promise<void> {
  const box = (await locator.boundingBox())!
  const outer = (await container.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(outer.x - 0.5)
  expect(box.x + box.width).toBeLessThanOrEqual(outer.x + outer.width + 0.5)
  expect(await locator.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true)
}

for (const size of SIZES) {
  const tag = `${size.width}x${size.height}`

  test(`every screen at ${tag}`, async ({ page }) => {
    const errors = watchErrors(page)
    await page.setViewportSize(size)
    await page.goto(app.url)
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `layout-${tag}-${name}.png`) })

    // Runs: the sidebar is a narrow rail in the small window; every row's controls are in view.
    const rows = page.getByTestId('run-row')
    await expect(rows).toHaveCount(2)
    await expect(rows.first().locator('img')).toBeVisible()
    const sidebar = (await page.getByTestId('sidebar').boundingBox())!
    if (size.width < 1200) expect(sidebar.width).toBeLessThanOrEqual(64)
    else expect(sidebar.width).toBeGreaterThanOrEqual(150)
    await expectNoSidewaysScroll(page)
    await expectWhollyInWindow(page.getByTestId('new-run'), size)
    for (const row of await rows.all()) {
      for (const control of [row.getByTestId('copy-config'), row.getByTestId('delete-run')]) {
        await expectWhollyInWindow(control, size)
        await expectInside(control, page.getByTestId('runs-table-scroll'))
      }
    }
    await shot('runs')

    // New run: Start training in view without scrolling, and still in view scrolled halfway down.
    await page.getByTestId('nav-new').click()
    await expect(page.getByTestId('usable-count')).toHaveText('10,000')
    await expect(page.getByTestId('estimate')).toHaveAttribute('data-state', 'measured', { timeout: 120_000 })
    expect(await page.evaluate('window.scrollY')).toBe(0)
    await expectWhollyInWindow(page.getByTestId('create-run'), size)
    await expectNoSidewaysScroll(page)
    await shot('new-run')
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight / 2)')
    await expectWhollyInWindow(page.getByTestId('create-run'), size)
    await page.evaluate('window.scrollTo(0, 0)')

    // The run view: every tab whole in its list, each tab's screen looked at.
    await page.getByTestId('nav-runs').click()
    await rows.filter({ hasText: 'digits' }).locator('.run-name').click()
    await expect(page.getByTestId('run-title')).toHaveText('digits')
    await expect(page.getByTestId('sample-grid')).toBeVisible()
    await expectWhollyInWindow(page.getByTestId('explore'), size)
    const tablist = page.getByRole('tablist', { name: 'Run details' })
    for (const name of ['samples', 'real', 'config', 'checkpoints']) {
      const tab = page.getByTestId(`tab-${name}`)
      await expectInside(tab, tablist)
      await tab.click()
      await expect(tab).toHaveAttribute('aria-selected', 'true')
      if (name === 'real') await expect(page.getByTestId('real-grid')).toBeVisible()
      await expectNoSidewaysScroll(page)
      await shot(`run-${name}`)
    }

    // Explore.
    await page.getByTestId('explore').click()
    await expect(page.getByTestId('checkpoint-select')).toBeVisible()
    await expect(page.getByTestId('sample-cell').first().locator('img')).toBeVisible()
    await expectNoSidewaysScroll(page)
    await shot('explore')

    // Compare, on two data sets.
    await page.getByTestId('nav-runs').click()
    for (const check of await page.getByTestId('compare-check').all()) await check.check()
    await page.getByTestId('compare-selected').click()
    await expect(page.getByTestId('compare-grid')).toHaveCount(2)
    await expect(page.getByTestId('compare-samples-label')).toHaveCount(2)
    await expect(page.getByTestId('swd-not-comparable')).toBeVisible()
    await expectNoSidewaysScroll(page)
    await shot('compare')
    await page.screenshot({ path: join(SHOTS, `layout-${tag}-compare-full.png`), fullPage: true })
    expect(errors).toEqual([])
  })
}

test('keyboard: tabs are one tab stop moved by the arrow keys; Escape closes a dialog and gives the focus back', async ({ page }) => {
  await page.goto(app.url)
  await page.getByTestId('run-row').filter({ hasText: 'digits' }).locator('.run-name').click()
  await page.getByTestId('tab-samples').focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('tab-real')).toBeFocused()
  await expect(page.getByTestId('tab-real')).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('End')
  await expect(page.getByTestId('tab-checkpoints')).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('tab-samples')).toHaveAttribute('aria-selected', 'true')
  // Tab leaves the list rather than stepping through its tabs.
  await page.keyboard.press('Tab')
  expect(await page.evaluate("document.activeElement?.getAttribute('role')")).not.toBe('tab')
  // The sample grids step with [ and ].
  await expect(page.getByTestId('grid-iteration')).toHaveText('iteration 30')
  await page.locator('body').press('[')
  await expect(page.getByTestId('grid-iteration')).toHaveText('iteration 20')
  await page.locator('body').press(']')
  await expect(page.getByTestId('grid-iteration')).toHaveText('iteration 30')

  // The folder browser: the focus moves into it, Escape closes it, the focus returns to Browse.
  await page.getByTestId('nav-new').click()
  await page.getByTestId('source-folder').check()
  await page.getByTestId('folder-input').fill(dir)
  await page.getByTestId('browse').click()
  const browser = page.getByTestId('folder-browser')
  await expect(browser).toBeVisible()
  expect(await browser.evaluate((e) => e.contains(e.ownerDocument.activeElement))).toBe(true)
  await page.keyboard.press('Escape')
  await expect(browser).toBeHidden()
  await expect(page.getByTestId('browse')).toBeFocused()

  // The shortcuts' help opens with ? anywhere, lists what works here, and closes with Escape.
  await page.locator('body').press('?')
  await expect(page.getByTestId('shortcut-help')).toContainText('New run')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('shortcut-help')).toBeHidden()
})
