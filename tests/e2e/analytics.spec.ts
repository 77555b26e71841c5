import { readFileSync } from 'node:fs';
import { test, expect, signIn, ownServer, ADMIN, SUPPORT } from './fixtures';
import type { Browser, Page } from '@playwright/test';

// A server of its own with enough members that "at risk AND Gold" is not
// empty; these tests save segments and targets.
const server = ownServer(8094, { PATRON_E2E_MEMBERS: '1500', PATRON_E2E_FEEDBACK: '300' });
test.beforeAll(server.start);
test.afterAll(server.stop);

let violations: string[] = [];
test.beforeEach(() => { violations = []; });
test.afterEach(() => { expect(violations, 'no CSP violations').toEqual([]); });

async function signedInPage(browser: Browser, who: { email: string; password: string }): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: server.base, locale: 'en-GB', acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('console', (msg) => {
    const t = msg.text();
    if (t.includes('Content Security Policy')) violations.push(t);
  });
  await signIn(page, who);
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  if (who === ADMIN) await expect(page.getByRole('navigation', { name: 'Admin sections' })).toBeVisible();
  else await expect(page.locator('main h1')).toBeVisible();
  return page;
}

/** Every canvas on the page is drawn and has pixels that are not all one colour. */
async function chartsDrawn(page: Page, min: number) {
  await expect.poll(async () => page.evaluate(() => {
    const cs = [...document.querySelectorAll('canvas')];
    return cs.filter((c) => c.dataset.drawn === 'true').length === cs.length ? cs.length : -1;
  }), { timeout: 20000 }).toBeGreaterThanOrEqual(min);
  const blank = await page.evaluate(() => [...document.querySelectorAll('canvas')].filter((c) => {
    if (c.width === 0 || c.height === 0) return false;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < d.length && colours.size < 3; i += 4 * 7) colours.add((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]);
    return colours.size < 2;
  }).map((c) => c.closest('figure')?.querySelector('figcaption')?.textContent ?? '?'));
  expect(blank, 'charts with nothing drawn').toEqual([]);
}

test('a segment "at risk AND Gold" counts what the API counts, saves, and exports that many rows', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  const options = await (await admin.request.get('/api/v1/analytics/segments/options')).json();
  const gold = options.tiers.find((t: [number, string]) => t[1] === 'Gold')[0];
  const definition = { join: 'all', groups: [{ join: 'all', conditions: [{ field: 'at_risk', value: true }, { field: 'tier', any_of: [gold] }] }] };
  const api = await (await admin.request.post('/api/v1/analytics/segments/count', { data: { definition } })).json();
  expect(api.count, 'the demo data has at-risk Gold members').toBeGreaterThan(0);

  await admin.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Segments' }).click();
  await admin.getByTestId('new-segment').click();
  await admin.getByTestId('segment-name').fill('Gold win-back');
  const group = admin.getByTestId('segment-group').first();
  await group.getByTestId('condition-kind').selectOption('at_risk');
  await group.getByTestId('add-condition').click();
  await group.getByTestId('condition-kind').selectOption('tier');
  await group.getByTestId('add-condition').click();
  await group.getByTestId('condition').nth(1).getByLabel('Gold').check();
  await expect(admin.getByTestId('live-count')).toContainText(`${api.count.toLocaleString('en-GB')} of`);

  await admin.getByTestId('save-segment').click();
  await expect(admin).toHaveURL(/\/admin\/segments\/\d+$/);
  await expect(admin.getByTestId('segment-count')).toContainText(api.count.toLocaleString('en-GB'));
  await expect(admin.getByTestId('segment-member').first()).toBeVisible();
  await chartsDrawn(admin, 6);

  const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('segment-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(csv[0]).toContain('email');
  expect(csv.length - 1).toBe(api.count);
});

test('the at-risk list explains each score, sorts, and becomes a segment', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.goto('/admin/at-risk');
  const first = admin.getByTestId('at-risk-row').first();
  await expect(first).toBeVisible();
  await expect(first).toContainText(/no purchase for \d+ days; usually every \d+|orders in the last 90 days|complaint|NPS/);
  const scores = async () => (await admin.getByTestId('churn-score').allTextContents()).map(Number);
  const before = await scores();
  expect(before).toEqual([...before].sort((a, b) => b - a));
  await admin.getByTestId('make-segment').click();
  await expect(admin).toHaveURL(/\/admin\/segments\/\d+$/);
  const api = await (await admin.request.get('/api/v1/analytics/at-risk?limit=1')).json();
  await expect(admin.getByTestId('segment-count')).toContainText(api.total.toLocaleString('en-GB'));
});

test('the dashboard draws its charts, and a retention target shows for admins and support', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.goto('/analytics');
  await expect(admin.getByTestId('kpi-retention_rate').getByTestId('kpi-value')).toBeVisible();
  await expect(admin.getByTestId('trends')).toBeVisible();
  await chartsDrawn(admin, 4);
  // Switching the system to dark redraws the charts in the dark theme's colours.
  const draws = () => admin.evaluate(() => performance.getEntriesByType('measure').filter((e) => e.name.startsWith('chart:')).length);
  const before = await draws();
  await admin.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(draws).toBeGreaterThan(before);
  await chartsDrawn(admin, 4);

  const deadline = new Date(Date.now() + 120 * 86400000).toISOString().slice(0, 10);
  await admin.getByTestId('target-kpi').selectOption('retention_rate');
  await admin.getByTestId('target-value').fill('75');
  await admin.getByTestId('target-deadline').fill(deadline);
  await admin.getByTestId('target-owner').selectOption({ label: 'Ada Admin' });
  await admin.getByTestId('add-target').click();
  const card = admin.getByTestId('target').filter({ hasText: 'Retention' });
  await expect(card).toBeVisible();
  await expect(card).toContainText('75');
  await expect(card.getByTestId('target-status')).toHaveText(/on track|behind|met|no data/i);
  const api = await (await admin.request.get('/api/v1/analytics/targets')).json();
  expect(api.some((t: { kpi: string; target: number }) => t.kpi === 'retention_rate' && Math.abs(t.target - 0.75) < 1e-9)).toBe(true);

  const support = await signedInPage(browser, SUPPORT);
  await support.goto('/analytics');
  await expect(support.getByTestId('target').filter({ hasText: 'Retention' })).toBeVisible();
  await expect(support.getByTestId('target-form')).toHaveCount(0);
  await expect(support.getByTestId('delete-target')).toHaveCount(0);
});
