import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * Browser benchmarks (scripts/bench-ui): the same Chromium as the browser
 * tests, one worker, no retries; they print figures instead of asserting
 * targets.
 */
export default defineConfig({
  ...base,
  testMatch: ['packages/*/bench/**/*.bench.ts'],
  retries: 0,
  timeout: 300_000,
  reporter: [['list']],
  outputDir: 'e2e-test-report/bench-artifacts',
});
