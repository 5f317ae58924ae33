import { test, expect } from '@playwright/test';

test('a guest signs in, opens the catalog and finds this project', async ({
  page,
}, testInfo) => {
  const consoleErrors: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();

  // The catalog lists Components by default; the project's plugins are one.
  await expect(
    page.getByRole('link', { name: 'AI Platform plugins' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'AI Platform plugins' }).click();
  await expect(page.getByText('The Backstage plugin set').first()).toBeVisible();
  // The owner is shown by its title once the Group entity has loaded.
  await expect(
    page.getByText(/^(platform-team|Platform team)$/).first(),
  ).toBeVisible();

  await page.screenshot({
    path: testInfo.outputPath('project-entity.png'),
    fullPage: true,
  });
  expect(consoleErrors.filter(e => !/favicon|manifest/i.test(e))).toEqual([]);
});
