import { expect, type Page } from '@playwright/test';

/**
 * Signs in as the guest. Done once the sign-in page has gone: navigating
 * earlier drops the guest session and lands on the sign-in page again.
 */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('button', { name: 'Enter' })).toBeHidden();
}
