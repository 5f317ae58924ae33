import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { signIn } from '../plugins/ai-platform/e2e-tests/signIn';

/**
 * The plugin set installed into a fresh create-app app from its tarballs, as
 * docs/install.md says (scripts/lib/fresh-app.sh), against kube-sim's demo
 * fleet: what an adopter checks first.
 */

test.use({ actionTimeout: 30_000 });

/** A guest token, as the app's sign-in gets it, for reading the catalog API. */
async function guestToken(request: APIRequestContext): Promise<string> {
  const res = await request.get('/api/auth/guest/refresh?optional&env=development', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()).backstageIdentity.token;
}

/**
 * Console errors, each with the URL it came from. A fresh app's own header
 * looks up the guest's User entity, which a new app's catalog does not have:
 * that 404 is the app's, not the plugin's.
 */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', msg => {
    const url = msg.location().url;
    if (msg.type() === 'error' && !/\/api\/catalog\/entities\/by-name\/user\//.test(url))
      errors.push(`${msg.text()} (${url})`);
  });
  return errors;
}

test('the AI Platform page is in the sidebar and shows the fleet and the guide’s queue', async ({ page }, testInfo) => {
  const consoleErrors = watchConsole(page);
  await signIn(page);
  await page.getByRole('navigation').getByRole('link', { name: 'AI Platform' }).click();
  await expect(page).toHaveURL(/\/ai-platform(\/fleet)?$/);

  // Fleet: the per-node heat map of both kube-sim clusters' H100 pools.
  const east = page.getByRole('list', { name: 'Nodes of pool h100 on gpu-east (whole GPUs)' });
  await expect(east).toBeVisible({ timeout: 60_000 });
  await expect(east.getByRole('listitem').first()).toContainText(
    /gpu-east-h100-0: flavor h100, .* whole GPUs allocated/,
  );
  await expect(page.getByRole('list', { name: 'Nodes of pool h100 on gpu-west (whole GPUs)' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ai-platform.png'), fullPage: true });

  // The ClusterQueue of the guide's minimal configuration.
  await page.getByRole('link', { name: 'Queues', exact: true }).click();
  await expect(page).toHaveURL(/\/ai-platform\/queues/);
  await expect(page.getByText('ml-research', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  // The guest is no platform admin: the fleet view's per-flavor cost requests answer 403 and the view says why.
  expect(consoleErrors.filter(e => !/favicon|manifest|status of 403/i.test(e))).toEqual([]);
});

test("a training job's entity page has the AI workload card with its state and queue", async ({
  page,
  request,
}, testInfo) => {
  const token = await guestToken(request);
  let name: string | undefined;
  await expect(async () => {
    const res = await request.get(
      '/api/catalog/entities?filter=kind=component,spec.type=training-job&fields=metadata.name,metadata.annotations',
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.ok()).toBe(true);
    const entities = (await res.json()) as Array<{ metadata: { name: string; annotations?: Record<string, string> } }>;
    // One of the guest's team (its namespace) that is still on its cluster.
    name = entities.find(
      e =>
        e.metadata.annotations?.['backstage.io/kubernetes-namespace'] === 'team-ml-research' &&
        ['Pending', 'Admitted', 'Running'].includes(e.metadata.annotations?.['ai-platform.io/workload-state'] ?? ''),
    )?.metadata.name;
    expect(name, 'a live ml-research training job in the catalog').toBeTruthy();
  }).toPass({ timeout: 120_000 });

  await signIn(page);
  await page.goto(`/catalog/default/component/${name}`);
  await page.getByText('AI workload', { exact: true }).first().click();
  await expect(page).toHaveURL(/\/ai-workload$/);
  await expect(page.getByText('State', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^ml-research → ClusterQueue ml-research on gpu-(east|west)/).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ai-workload.png'), fullPage: true });
});

test("a golden-path template from the scaffolder module offers the guest's team queue", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  const title = page.getByRole('heading', { name: 'Distributed PyTorch training (JobSet gang)' });
  // Right after start the catalog is still reading its locations; the template list is read once per visit.
  await expect(async () => {
    await page.goto('/create');
    await expect(title).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: 150_000 });
  const card = title.locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]');
  await card.getByRole('button', { name: 'Choose' }).click();

  // No owner chosen yet: the picker offers the queues of the signed-in user's teams, with live figures.
  const queue = page.getByRole('radio', {
    name: /^ml-research \(team-ml-research\) · \d+ pending · \d+ GPUs of quota free/,
  });
  await expect(queue).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('template.png'), fullPage: true });
});
