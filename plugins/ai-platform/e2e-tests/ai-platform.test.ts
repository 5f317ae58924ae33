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

  // Fleet: the per-node heat map has a cell for every node of the demo fleet's pools (examples/fleet/demo.yaml),
  // MIG slices and time-sliced shares as pools of their own.
  const pool = (name: string) => page.getByRole('list', { name });
  const eastH100 = pool('Nodes of pool h100 on gpu-east (whole GPUs)');
  await expect(eastH100).toBeVisible({ timeout: 60_000 });
  await expect(eastH100.getByRole('listitem')).toHaveCount(8);
  await expect(eastH100.getByRole('listitem').first()).toContainText(
    /gpu-east-h100-0: flavor h100, H100 80GB HBM3; \d+ of 8 whole GPUs allocated/,
  );
  await expect(pool('Nodes of pool h100 on gpu-west (whole GPUs)').getByRole('listitem')).toHaveCount(8);
  const mig = pool('Nodes of pool a100-mig on gpu-east (MIG 1g.10gb slices)');
  await expect(mig.getByRole('listitem')).toHaveCount(4);
  await expect(mig.getByRole('listitem').first()).toContainText(/gpu-east-a100-mig-0: .* of 32 MIG 1g\.10gb slices/);
  await expect(pool('Nodes of pool a100-mig on gpu-east (MIG 3g.40gb slices)').getByRole('listitem')).toHaveCount(4);
  const shares = pool('Nodes of pool l4-shared on gpu-east (time-sliced shares)');
  await expect(shares.getByRole('listitem')).toHaveCount(4);
  await expect(shares.getByRole('listitem').first()).toContainText(/of 16 time-sliced shares allocated/);
  // The figures on hover, too.
  await eastH100.getByRole('listitem').first().hover();
  await expect(page.getByRole('tooltip')).toContainText('gpu-east-h100-0: flavor h100');
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
