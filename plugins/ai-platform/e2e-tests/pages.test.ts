import { readFile } from 'node:fs/promises';
import { test, expect, Page } from '@playwright/test';
import { signIn } from './signIn';

/** Signs in as the guest and records the console's errors (favicon and manifest noise aside). */
async function signInRecordingErrors(page: Page): Promise<() => string[]> {
  const errors: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await signIn(page);
  return () => errors.filter(e => !/favicon|manifest/i.test(e));
}

test('the cost explorer shows spend by team from the simulated fleet and downloads it as CSV', async ({
  page,
}, testInfo) => {
  const consoleErrors = await signInRecordingErrors(page);
  await page.goto('/ai-platform/costs');
  // The ledger has priced the kube-sim pods that ran since the instance started.
  const table = page.getByRole('grid', { name: /^Cost by team$/i });
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(async () => {
    await page.reload();
    await expect(
      table
        .getByRole('row')
        .filter({ hasText: /ml-research|llm-serving|data-eng|agents/ })
        .first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  await page.screenshot({ path: testInfo.outputPath('ai-platform-costs.png'), fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Download CSV of cost by team/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^showback-team-.*\.csv$/);
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('day,team,gpu_hours,cost_usd');
  expect(lines.length).toBeGreaterThan(1);
  const [, team, gpuHours, cost] = lines[1].split(',');
  expect(team).toMatch(/^"[a-z-]+"$/);
  expect(Number(gpuHours)).toBeGreaterThan(0);
  expect(Number(cost)).toBeGreaterThan(0);

  // The inference leaderboard: the demo fleet's services, or words that say why there are none
  // (the browser tests' instance runs without Prometheus, so token counts are unknown there).
  await page.getByRole('link', { name: 'Inference efficiency' }).click();
  await expect(
    page
      .getByRole('grid', { name: 'Inference services by tokens per second per dollar' })
      .or(page.getByText(/^No inference services served tokens/))
      .or(page.getByText(/Token counts unknown: .*Set aiPlatform\.prometheus\.url/)),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('ai-platform-inference.png'), fullPage: true });
  expect(consoleErrors()).toEqual([]);
});

test("a team's page shows its GPU quota and its spend against the budget", async ({ page }, testInfo) => {
  const consoleErrors = await signInRecordingErrors(page);
  await page.goto('/catalog/default/group/ml-research');
  // examples/org.yaml and app-config.yaml give ml-research a monthly budget and the demo queues give it quota.
  await expect(page.getByRole('meter', { name: /^Budget \d{4}-\d{2}$/ })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Budget this month')).toBeVisible();
  const quota = page.getByRole('grid', { name: 'GPU quota per flavor' });
  await expect(quota).toBeVisible();
  await expect(quota.getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByRole('region', { name: 'GPU efficiency' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('team-card.png'), fullPage: true });
  expect(consoleErrors()).toEqual([]);
});

test("a GPU queue's page shows its cohort with usage and what waits in it", async ({ page, request }, testInfo) => {
  // The catalog module emits each ClusterQueue as a gpu-queue Resource.
  let name = '';
  await expect(async () => {
    const res = await request.get(
      '/api/catalog/entities?filter=kind=resource,spec.type=gpu-queue&fields=metadata.name',
    );
    const names = ((await res.json()) as Array<{ metadata: { name: string } }>).map(e => e.metadata.name);
    name = names.find(n => /ml-research/.test(n)) ?? names[0];
    expect(name).toBeTruthy();
  }).toPass({ timeout: 90_000 });
  const consoleErrors = await signInRecordingErrors(page);
  await page.goto(`/catalog/default/resource/${name}/gpu-queue`);
  await expect(page.getByRole('list', { name: 'Cohort tree' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[aria-label^="ClusterQueue "][aria-current="true"]')).toBeVisible();
  await expect(page.getByText(/^Pending \(\d+\)$/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('gpu-queue.png'), fullPage: true });
  expect(consoleErrors()).toEqual([]);
});
