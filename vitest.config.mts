import { defineConfig } from 'vitest/config'

// Unit and integration tests of the core run under plain Node; the UI is covered by e2e/ in Chromium.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
})
