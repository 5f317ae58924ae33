import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests run in Debian's Chromium (never a downloaded browser) against
 * the dev instance: the built app served by the backend on port 7007, started
 * by `scripts/test`. Set PLAYWRIGHT_URL to test another instance.
 */
export default defineConfig({
  testMatch: ['packages/*/e2e-tests/**/*.test.ts', 'plugins/*/e2e-tests/**/*.test.ts'],
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: '.tools/test-results/e2e.json' }],
    ['html', { open: 'never', outputFolder: 'e2e-test-report/html' }],
  ],
  outputDir: 'e2e-test-report/artifacts',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
