import { test, expect } from '@playwright/test';
import { signIn } from './signIn';

test('the AI Platform page shows the simulated fleet, its queues and what waits', async ({ page }, testInfo) => {
  const consoleErrors: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'AI Platform' }).click();
  // The page opens on its first view, a route of its own.
  await expect(page).toHaveURL(/\/ai-platform\/fleet$/);

  // Fleet: both kube-sim clusters with their pools, MIG slices and time-sliced shares as such.
  const heatmap = page.getByRole('table', { name: 'GPU allocation by cluster and pool' });
  await expect(heatmap).toBeVisible({ timeout: 60_000 });
  await expect(heatmap.getByRole('rowheader', { name: /gpu-east/ })).toBeVisible();
  await expect(heatmap.getByRole('rowheader', { name: /gpu-west/ })).toBeVisible();
  await expect(heatmap.getByRole('columnheader', { name: 'H100 80GB HBM3 · whole GPUs' })).toBeVisible();
  await expect(heatmap.getByRole('columnheader', { name: 'A100 SXM4 80GB · MIG 1g.10gb slices' })).toBeVisible();
  await expect(heatmap.getByRole('columnheader', { name: 'L4 · time-sliced shares' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ai-platform-fleet.png'), fullPage: true });

  // Queues: the demo cohort's ClusterQueues from examples/queues/demo.yaml.
  await page.getByRole('link', { name: 'Queues', exact: true }).click();
  await expect(page).toHaveURL(/\/ai-platform\/queues$/);
  await expect(page.getByText('ml-research', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/pending · \d+ admitted/).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ai-platform-queues.png'), fullPage: true });

  // Pending workloads: either the explorer or the empty state says so.
  await page.getByRole('link', { name: 'Pending workloads' }).click();
  await expect(
    page.getByRole('table', { name: 'Pending workloads' }).or(page.getByText('Nothing is waiting')),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('ai-platform-pending.png'), fullPage: true });

  expect(consoleErrors.filter(e => !/favicon|manifest/i.test(e))).toEqual([]);
});

test('an AI workload in the catalog has its card with state and queue', async ({ page, request }, testInfo) => {
  // The catalog module emits the simulated training jobs as Components.
  let name: string | undefined;
  await expect(async () => {
    const res = await request.get(
      '/api/catalog/entities?filter=kind=component,spec.type=training-job&fields=metadata.name,metadata.annotations',
    );
    const entities = (await res.json()) as Array<{ metadata: { name: string; annotations?: Record<string, string> } }>;
    // One that is still on its cluster (finished Jobs are cleaned up there but stay in the catalog for a while).
    const live = entities.filter(
      e =>
        e.metadata.annotations?.['ai-platform.io/workload'] &&
        ['Pending', 'Admitted', 'Running'].includes(e.metadata.annotations?.['ai-platform.io/workload-state'] ?? ''),
    );
    name = (live.find(e => e.metadata.annotations?.['ai-platform.io/workload-state'] === 'Pending') ?? live[0])
      ?.metadata.name;
    expect(name).toBeTruthy();
  }).toPass({ timeout: 90_000 });
  await signIn(page);
  await page.goto(`/catalog/default/component/${name}`);
  // The workload's own tab holds the card.
  await page.getByText('AI workload', { exact: true }).first().click();
  await expect(page).toHaveURL(/\/ai-workload$/);
  await expect(page.getByText('State', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Queue and cluster', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/ml-research → ClusterQueue ml-research on gpu-(east|west)/).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ai-workload-entity.png'), fullPage: true });
});
