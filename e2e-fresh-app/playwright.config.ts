import { defineConfig } from '@playwright/test';
import devInstance from '../playwright.config';

/**
 * Browser checks of the fresh create-app app that scripts/lib/fresh-app.sh
 * builds and starts (backend and built app on PLAYWRIGHT_URL), in the same
 * Debian Chromium as the dev instance's tests.
 */
export default defineConfig({
  ...devInstance,
  testDir: '.',
  testMatch: ['*.test.ts'],
  timeout: 120_000,
  reporter: [['list'], ['json', { outputFile: '../.tools/test-results/e2e-fresh-app.json' }]],
  outputDir: '../e2e-test-report/fresh-app',
  use: { ...devInstance.use, baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:7100' },
});
