import { readFileSync } from 'node:fs';
import { test, expect, ownServer, ADMIN, MEMBER, SUPPORT, signedInPage as signedInPageOn } from './fixtures';
import type { Browser, Page } from '@playwright/test';

// A server of its own with enough members that "at risk AND Gold" is not
// empty; these tests save segments and targets.
const server = ownServer(8094, { PATRON_E2E_MEMBERS: '1500', PATRON_E2E_FEEDBACK: '300' });
test.beforeAll(server.start);
test.afterAll(server.stop);

let violations: string[] = [];
test.beforeEach(() => { violations = []; });
test.afterEach(() => { expect(violations, 'no CSP violations or page errors').toEqual([]); });

const signedInPage = (browser: Browser, who: { email: string; password: string }) =>
  signedInPageOn(browser, server.base, who, violations);

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

test('leaving the builder while its live count waits leaves the app working', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  const nav = admin.getByRole('navigation', { name: 'Admin sections' });
  await admin.goto('/admin/segments/new');
  const group = admin.getByTestId('segment-group').first();
  await group.getByTestId('condition-kind').selectOption('at_risk');
  await group.getByTestId('add-condition').click();
  // Within the count's 300 ms wait (past the unsaved-changes question): the
  // timer fires after the page is gone.
  admin.once('dialog', (d) => d.accept());
  await nav.getByRole('link', { name: 'At risk' }).click();
  await expect(admin.getByTestId('at-risk-row').first()).toBeVisible();
  await nav.getByRole('link', { name: 'Segments' }).click();
  await expect(admin.getByTestId('new-segment')).toBeVisible();
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

  // Sorted by spend (column head), in the direction the head announces.
  await admin.getByTestId('sort-spend').click();
  await expect(admin).toHaveURL(/sort=spend/);
  const head = admin.locator('th', { has: admin.getByTestId('sort-spend') });
  await expect(head).toHaveAttribute('aria-sort', /^(ascending|descending)$/);
  const down = (await head.getAttribute('aria-sort')) === 'descending';
  const spends = async () => (await admin.locator('[data-testid=at-risk-row] td:last-child').allTextContents())
    .map((t) => Number(t.replace(/[^\d.]/g, '')));
  await expect.poll(async () => {
    const s = await spends();
    return s.length > 1 && s.every((v, i) => i === 0 || (down ? s[i - 1] >= v : s[i - 1] <= v));
  }).toBe(true);

  await admin.getByTestId('make-segment').click();
  await expect(admin).toHaveURL(/\/admin\/segments\/\d+$/);
  const api = await (await admin.request.get('/api/v1/analytics/at-risk?limit=1')).json();
  await expect(admin.getByTestId('segment-count')).toContainText(api.total.toLocaleString('en-GB'));
});

test('the RFM window: a bad one is refused in words and kept, a good one rescores', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.goto('/admin/at-risk');
  const win = admin.getByTestId('rfm-window');
  await expect(win).toHaveValue(/^\d+$/);
  const was = await win.inputValue();
  await win.fill('20');
  await admin.getByTestId('recompute').click();
  await expect(admin.getByText('The RFM window is 30 to 1,095 days.')).toBeVisible();
  await expect(win).toHaveValue('20');
  await expect(win).toHaveAttribute('aria-invalid', 'true');
  await win.fill('180');
  await admin.getByTestId('recompute').click();
  await expect(admin.getByTestId('scores-computed')).toContainText('over the last 180 days');
  await expect(win).toHaveValue('180');
  await expect(admin.getByText('The RFM window is 30 to 1,095 days.')).toHaveCount(0);
  // Put it back for the other tests.
  await win.fill(was);
  await admin.getByTestId('recompute').click();
  await expect(admin.getByTestId('scores-computed')).toContainText(`over the last ${was} days`);
});

test('the dashboard draws its charts, and a retention target shows for admins and support', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.goto('/analytics');
  await expect(admin.getByTestId('kpi-retention_rate').getByTestId('kpi-value')).toBeVisible();
  await expect(admin.getByTestId('trends')).toBeVisible();
  await chartsDrawn(admin, 4);
  // Switching the system to dark redraws the charts in the dark theme's colours.
  const draws = () => admin.locator('canvas').evaluateAll((cs) => cs.map((c) => Number(c.dataset.draws ?? 0)));
  const before = await draws();
  await admin.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => (await draws()).every((n, i) => n > before[i])).toBe(true);
  await chartsDrawn(admin, 4);
  // Screen readers hear the charts in the reader's language.
  const described = () => admin.locator('figure canvas').evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label') ?? ''));
  expect((await described()).some((d) => d.startsWith('Line chart, '))).toBe(true);
  await admin.getByTestId('language').selectOption('zh');
  await expect.poll(async () => (await described()).filter((d) => /^(柱状图|折线图|热力图)，/.test(d)).length).toBeGreaterThanOrEqual(4);
  // Series names and axis labels are redrawn in the new language too.
  await expect.poll(async () => (await described()).filter((d) => /Points issued|Active members| mo /.test(d))).toEqual([]);
  await admin.getByTestId('language').selectOption('en');
  await expect(admin.getByTestId('kpi-retention_rate')).toContainText('Retention');

  // Every KPI with two or more weeks of figures has its weekly line; all
  // but NPS and CSAT always do.
  // A 30-day period ends with a 2-day week, which the line leaves out and
  // the table names as short.
  const shown = await (await admin.request.get('/api/v1/analytics/kpis?days=30')).json();
  const lines = shown.kpis.filter((k: { series: (number | null)[] }) => k.series.slice(0, -1).filter((v) => v !== null).length >= 2);
  expect(lines.length).toBeGreaterThanOrEqual(13);
  await expect(admin.locator('.kpi canvas.sparkline')).toHaveCount(lines.length);
  await expect(admin.getByTestId('kpi-active_members').locator('.kpi-weeks th').last()).toHaveText('W5 (2 d)');
  // A narrower window redraws each chart whose size changed, at that size.
  const widths = () => admin.locator('canvas').evaluateAll((cs) => cs.map((c) => Math.round(c.getBoundingClientRect().width)));
  const [w0, d0] = [await widths(), await draws()];
  await admin.setViewportSize({ width: 700, height: 900 });
  await expect.poll(async () => {
    const [w1, d1] = [await widths(), await draws()];
    const resized = w1.map((w, i) => w !== w0[i]);
    return resized.filter(Boolean).length >= 4 && resized.every((r, i) => !r || d1[i] > d0[i]);
  }).toBe(true);
  await admin.setViewportSize({ width: 1280, height: 900 });
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

  // "Repeat purchases +5 points": a change from the last 30 days' value.
  const kpis = await (await admin.request.get('/api/v1/analytics/kpis?days=30')).json();
  const now: number = kpis.kpis.find((k: { key: string }) => k.key === 'repeat_purchase_rate').value;
  await admin.getByTestId('target-kpi').selectOption('repeat_purchase_rate');
  await admin.getByTestId('target-mode').selectOption('by');
  await admin.getByTestId('target-value').fill('5');
  // The hint shows now and the target it makes, to one decimal (ties may
  // round either way, so compare within half a step).
  await expect(admin.getByTestId('target-now')).toHaveText(/^Now \(last 30 days\): [\d.]+ % → [\d.]+ %$/);
  const [shownNow, shownTarget] = ((await admin.getByTestId('target-now').textContent()) ?? '').match(/[\d.]+/g)!.slice(1).map(Number);
  expect(Math.abs(shownNow - now * 100)).toBeLessThanOrEqual(0.051);
  expect(Math.abs(shownTarget - (now + 0.05) * 100)).toBeLessThanOrEqual(0.051);
  await admin.getByTestId('target-deadline').fill(deadline);
  await admin.getByTestId('target-owner').selectOption({ label: 'Ada Admin' });
  await admin.getByTestId('add-target').click();
  await expect(admin.getByTestId('target').filter({ hasText: 'Repeat' })).toBeVisible();
  const saved = await (await admin.request.get('/api/v1/analytics/targets')).json();
  const repeat = saved.find((t: { kpi: string }) => t.kpi === 'repeat_purchase_rate');
  expect(repeat.target).toBeCloseTo(now + 0.05, 9);
  expect(repeat.baseline).toBeCloseTo(now, 9);

  const support = await signedInPage(browser, SUPPORT);
  await support.goto('/analytics');
  await expect(support.getByTestId('target').filter({ hasText: 'Retention' })).toBeVisible();
  await expect(support.getByTestId('target-form')).toHaveCount(0);
  await expect(support.getByTestId('delete-target')).toHaveCount(0);

  // Charts left behind let go: resizing and switching the theme after
  // leaving the dashboard touch nothing that is gone (no page errors).
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await expect(admin).toHaveURL(/\/admin\/members/);
  await expect(admin.locator('canvas')).toHaveCount(0);
  await admin.setViewportSize({ width: 600, height: 800 });
  await admin.emulateMedia({ colorScheme: 'light' });
  await admin.waitForTimeout(300);
});

test('a reward offered to a segment shows for its members only, marked as theirs', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  const found = await (await admin.request.get(`/api/v1/admin/members?q=${encodeURIComponent(MEMBER.email)}`)).json();
  const region: string = found.items[0].region;
  const { regions } = await (await admin.request.get('/api/v1/analytics/segments/options')).json();
  const segment = async (name: string, anyOf: string[]) => {
    const definition = { join: 'all', groups: [{ join: 'all', conditions: [{ field: 'attribute', attribute: 'region', any_of: anyOf }] }] };
    const res = await admin.request.post('/api/v1/analytics/segments', { data: { name, definition } });
    expect(res.status()).toBe(201);
    return (await res.json()).id as number;
  };
  await segment(`Members in ${region}`, [region]);
  const elsewhere = await segment('Members elsewhere', regions.filter((r: string) => r !== region));

  // The admin offers one reward to the member's region in the editor…
  await admin.goto('/admin/rewards');
  await admin.getByTestId('new-reward').click();
  await admin.getByTestId('reward-name').fill('Regional thank-you');
  await admin.getByTestId('reward-cost').fill('100');
  await admin.getByTestId('reward-segment').selectOption({ label: `Members in ${region}` });
  await admin.getByTestId('reward-save').click();
  await expect(admin.getByTestId('rewards-table').getByRole('row', { name: /Regional thank-you/ }).getByTestId('reward-segment-tag'))
    .toHaveText(`Offered to: Members in ${region}`);
  // …and another to everyone else (through the API).
  const other = await admin.request.post('/api/v1/admin/rewards', { data: {
    name: 'Elsewhere thank-you', description: '', reward_type: 'custom', value: null, cost_points: 100, stock: null,
    per_member_limit: null, visible_from: null, visible_until: null, valid_from: null, valid_until: null,
    min_tier_id: null, segment_id: elsewhere, code_source: 'generated', new_codes: [], image_url: null } });
  expect(other.status()).toBe(201);

  const member = await signedInPage(browser, MEMBER);
  await member.goto('/rewards');
  const mine = member.getByTestId('reward').filter({ hasText: 'Regional thank-you' });
  await expect(mine.getByTestId('reward-personal')).toHaveText('Just for you');
  await expect(member.getByTestId('reward').first()).toBeVisible();
  await expect(member.getByTestId('reward').filter({ hasText: 'Elsewhere thank-you' })).toHaveCount(0);
  // A segment with a reward on offer is kept.
  const del = await admin.request.delete(`/api/v1/analytics/segments/${elsewhere}`);
  expect(del.status()).toBe(409);
  expect((await del.json()).error.message).toContain('Elsewhere thank-you');
});
