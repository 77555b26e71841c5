import { test as base, expect, Page } from '@playwright/test';

export const MEMBER = { email: 'member@patron.test', password: 'patron-member' };
export const ADMIN = { email: 'admin@patron.test', password: 'patron-admin' };
export const SUPPORT = { email: 'support@patron.test', password: 'patron-support' };

/// Every page records CSP violations; each test ends by asserting none.
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: async ({ page }, use) => {
    const violations: string[] = [];
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        // Surface in the console so the test side sees it.
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page.on('console', (msg) => {
      const t = msg.text();
      if (t.includes('CSP violation') || t.includes('Content Security Policy')) violations.push(t);
    });
    await use(violations);
    expect(violations, 'no CSP violations').toEqual([]);
  },
});

export { expect };

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
