import { test, expect } from '@playwright/test';

test('a guest signs in, opens the catalog and finds this project', async ({ page }, testInfo) => {
  const consoleErrors: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();

  // The catalog lists Components by default; the project's plugins are one.
  await expect(page.getByRole('link', { name: 'AI Platform plugins' })).toBeVisible();
  await page.getByRole('link', { name: 'AI Platform plugins' }).click();
  await expect(page.getByText('The Backstage plugin set').first()).toBeVisible();
  // The owner is shown by its title once the Group entity has loaded.
  await expect(page.getByText(/^(platform-team|Platform team)$/).first()).toBeVisible();

  await page.screenshot({
    path: testInfo.outputPath('project-entity.png'),
    fullPage: true,
  });
  expect(consoleErrors.filter(e => !/favicon|manifest/i.test(e))).toEqual([]);
});

test('TechDocs builds the project docs with the local mkdocs', async ({ page }, testInfo) => {
  // Room for the waits below (90 s for the first build, 60 s for the freshness check): the default 90 s test
  // timeout ended a clean-clone CI attempt whose first build was slow, before the build's own wait ran out.
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.goto('/docs/default/component/ai-platform-backstage-plugins');
  // The first visit builds the site with Debian's mkdocs, which takes a while.
  await expect(page.getByRole('heading', { name: 'AI Platform for Backstage' }).first()).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByText('explain why a workload waits').first()).toBeVisible();
  // The reader keeps a progress bar while it checks the build is current.
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 60_000 });
  await page.screenshot({
    path: testInfo.outputPath('techdocs.png'),
    fullPage: true,
  });
});
