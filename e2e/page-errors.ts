// Uncaught errors in a page: a test collects them and expects none.
import type { Page } from '@playwright/test'

export function watchErrors(page: Page): Error[] {
  const errors: Error[] = []
  page.on('pageerror', (error) => errors.push(error))
  return errors
}
