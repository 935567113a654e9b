// Steps several journeys share.
import { expect, type Page } from '@playwright/test'

/** From the runs list: a tiny, long MNIST run (it keeps training while the test looks), started. */
export async function startSmallRun(page: Page, name: string, checkpointEvery: number): Promise<void> {
  await page.getByTestId('new-run').click()
  await page.getByTestId('source-builtin').check()
  await page.getByTestId('preset-cpuQuick').click()
  await page.getByTestId('field-batchSize').fill('16')
  await page.getByTestId('field-ngf').fill('8')
  await page.getByTestId('field-ndf').fill('8')
  await page.getByTestId('field-length').fill('100000')
  await page.getByTestId('field-checkpointEvery').fill(String(checkpointEvery))
  await page.getByTestId('run-name').fill(name)
  await page.getByTestId('create-run').click()
  await expect(page.getByTestId('status-badge')).toHaveText('running')
}
