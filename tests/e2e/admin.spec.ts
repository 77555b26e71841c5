import { test, expect, ownServer, MEMBER, ADMIN, SUPPORT, signedInPage as signedInPageOn } from './fixtures';
import type { Browser } from '@playwright/test';

// A server of its own: these tests change tiers and rules, which other
// specs' members must not see.
const server = ownServer(8093, { PATRON_E2E_MEMBERS: '300', PATRON_E2E_FEEDBACK: '0' });
test.beforeAll(server.start);
test.afterAll(server.stop);

let violations: string[] = [];
test.beforeEach(() => { violations = []; });
test.afterEach(() => { expect(violations, 'no CSP violations or page errors').toEqual([]); });

const signedInPage = (browser: Browser, who: { email: string; password: string }) =>
  signedInPageOn(browser, server.base, who, violations);

const digits = (s: string | null) => Number((s ?? '').replace(/[^0-9]/g, ''));

test('tier threshold: preview shows movers → confirm → the member dashboard counts to the new threshold', async ({ browser }) => {
  const member = await signedInPage(browser, MEMBER);
  await expect(member.getByTestId('tier-name')).toContainText('Gold');
  const before = await (await member.request.get('/api/v1/me/summary')).json();
  // Platinum just below what the demo member has: they (and others) move up.
  const target = before.tier.qualifying - 500;

  const admin = await signedInPage(browser, ADMIN);
  await expect(admin).toHaveURL(/\/admin$/);
  await admin.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Tiers' }).click();
  await expect(admin.getByTestId('tier-table')).toBeVisible();

  // A threshold below the tier beneath is caught before anything is sent.
  await admin.getByTestId('tier-threshold-2').fill('1000');
  await admin.getByTestId('tiers-preview').click();
  await expect(admin.getByTestId('tier-row-2')).toContainText("must be higher than Silver's");
  await expect(admin.getByTestId('tier-impact')).toHaveCount(0);
  // The shared rule's message follows the language switch at once.
  await admin.getByTestId('language').selectOption('zh');
  await expect(admin.getByTestId('tier-row-2')).toContainText('的门槛必须高于 Silver 的门槛');
  await admin.getByTestId('language').selectOption('en');
  await expect(admin.getByTestId('tier-row-2')).toContainText("must be higher than Silver's");
  await admin.getByTestId('tier-threshold-2').fill('6000');

  // Leaving with unsaved changes asks first; declining stays.
  await admin.getByTestId('tier-threshold-3').fill(String(target));
  admin.once('dialog', (d) => d.dismiss());
  await admin.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Members' }).click();
  await expect(admin).toHaveURL(/\/admin\/tiers$/);

  await admin.getByTestId('tiers-preview').click();
  const impact = admin.getByTestId('tier-impact');
  await expect(impact).toBeVisible();
  await expect(admin.getByTestId('impact-summary')).toContainText('move up');
  const upText = await admin.getByTestId('impact-summary').textContent();
  const up = Number(/(\d+) members move up/.exec(upText ?? '')?.[1]);
  expect(up).toBeGreaterThan(0);
  await expect(admin.getByTestId('movers-up').getByRole('listitem').first()).toContainText('Gold → Platinum');
  // Nothing changed yet.
  const still = await (await member.request.get('/api/v1/me/summary')).json();
  expect(still.tier.next.threshold).toBe(before.tier.next.threshold);

  await admin.getByTestId('tiers-confirm').click();
  await expect(admin.getByTestId('toasts')).toContainText(`Tiers saved: ${up} members moved up`);
  await expect(admin.getByTestId('last-run')).toContainText(`${up} up`);

  await member.reload();
  await expect(member.getByTestId('tier-name')).toContainText('Platinum');
  const after = await (await member.request.get('/api/v1/me/summary')).json();
  expect(after.tier.current.threshold).toBe(target);
});

test('the simulator gives what a posted transaction earns', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  const page = await (await admin.request.get('/api/v1/admin/members?q=member@patron.test')).json();
  const memberId = page.items[0].id;
  await admin.goto('/admin/rules');
  await expect(admin.getByTestId('rules-table')).toContainText('Beauty ×2');
  await admin.getByTestId('sim-member').fill(String(memberId));
  await admin.getByTestId('sim-cat-0').selectOption('beauty');
  await admin.getByTestId('sim-amount-0').fill('123.45');
  await admin.getByRole('button', { name: 'Add a line' }).click();
  await admin.getByTestId('sim-cat-1').selectOption('home');
  await admin.getByTestId('sim-amount-1').fill('50');
  await admin.getByTestId('sim-run').click();
  await expect(admin.getByTestId('sim-hits')).toContainText('Beauty ×2');
  await expect(admin.getByTestId('sim-hits')).toContainText('+173');
  await expect(admin.getByTestId('sim-hits')).toContainText('+123');
  const simulated = digits(await admin.getByTestId('sim-total').textContent());
  // base 123 + 50 and beauty ×2 +123, plus the member's tier multiplier.
  expect(simulated).toBeGreaterThan(173 + 123);

  const r = await admin.request.post('/api/v1/transactions', {
    data: { member_id: memberId, order_ref: 'E2E-SIM-1', lines: [
      { category: 'beauty', amount_minor: 12345 }, { category: 'home', amount_minor: 5000 }] },
  });
  expect(r.status()).toBe(201);
  expect((await r.json()).points).toBe(simulated);
});

test('an adjustment shows in the member ledger with the admin name and in the audit log', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.getByRole('link', { name: 'Members' }).first().click();
  await expect(admin.getByTestId('member-total')).toContainText('members');
  await admin.getByTestId('member-search').fill('member@patron.test');
  await admin.getByTestId('member-search').press('Enter');
  await expect(admin).toHaveURL(/q=member%40patron.test/);
  await expect(admin.getByTestId('member-row')).toHaveCount(1);
  await admin.getByTestId('member-row').click();
  await expect(admin.getByTestId('member-name')).toHaveText('Li Wei');

  // A reason is required: the server's message shows by the field, input kept.
  await admin.getByTestId('adjust-points').fill('250');
  await admin.getByTestId('adjust-submit').click();
  await expect(admin.getByText('Say why (at least 3 characters)')).toBeVisible();
  await expect(admin.getByTestId('adjust-points')).toHaveValue('250');
  await admin.getByTestId('adjust-reason').fill('Goodwill for a late parcel');
  await admin.getByTestId('adjust-submit').click();
  await expect(admin.getByTestId('toasts')).toContainText('Adjusted by +250');
  await expect(admin.getByTestId('member-tabpanel')).toContainText('Adjustment: Goodwill for a late parcel');
  await expect(admin.getByTestId('member-tabpanel')).toContainText('by Ada Admin');

  await admin.goto('/admin/audit');
  const row = admin.getByTestId('audit-row').first();
  await expect(row).toContainText('member.adjust');
  await expect(row).toContainText('Ada Admin');
  await expect(row).toContainText('Goodwill for a late parcel');

  const member = await signedInPage(browser, MEMBER);
  await member.getByRole('link', { name: 'History' }).click();
  await expect(member.getByTestId('history-list')).toContainText('Adjustment: Goodwill for a late parcel');
  await expect(member.getByTestId('history-list')).toContainText('by Ada Admin');
});

test('support agents and members are refused the admin console, in the UI and by the API', async ({ browser }) => {
  for (const who of [SUPPORT, MEMBER]) {
    const page = await signedInPage(browser, who);
    // The console is its own bundle: people who may not use it never download it.
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await expect(page.getByRole('link', { name: 'Tiers', exact: true })).toHaveCount(who === MEMBER ? 1 : 0);
    await page.goto('/admin/tiers');
    await expect(page.getByTestId('forbidden')).toBeVisible();
    for (const path of ['/api/v1/admin/tiers', '/api/v1/admin/members', '/api/v1/admin/audit']) {
      const r = await page.request.get(path);
      expect(r.status(), `${who.email} ${path}`).toBe(403);
    }
    const r = await page.request.post('/api/v1/admin/members/1/adjustments', {
      headers: { 'Idempotency-Key': 'nope' }, data: { points: 1000, reason: 'Trying my luck' },
    });
    expect(r.status()).toBe(403);
    expect(fetched.filter((p) => p.startsWith('/console/')), `${who.email} loads no console code`).toEqual([]);
  }
});

test('the admin pages work at 360 px without sideways scrolling', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/admin', '/analytics', '/admin/members', '/admin/members/1', '/admin/tiers', '/admin/rules', '/admin/rewards', '/admin/audit', '/admin/staff', '/admin/settings', '/admin/segments', '/admin/segments/new', '/admin/at-risk']) {
    await admin.goto(path);
    await expect(admin.locator('main h1')).toBeVisible();
    await expect(admin.locator('.skeleton')).toHaveCount(0);
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} fits in 360 px`).toBeLessThanOrEqual(0);
    // No view! attribute leaked out as text (an unbraced `>` in a closure).
    expect(await admin.locator('body').innerText(), `${path} shows no code`).not.toMatch(/move \|\||count\(\)|aria-label =/);
  }
});

test('tiers move down and up in the editor (nothing changes until saved)', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.goto('/admin/tiers');
  await expect(admin.getByTestId('tier-table')).toBeVisible();
  const names = async () => Promise.all([0, 1, 2, 3].map((i) => admin.getByTestId(`tier-name-${i}`).inputValue()));
  const before = await names();
  const row = (i: number) => admin.getByTestId(`tier-row-${i}`);
  await expect(row(3).getByRole('button', { name: 'Move down' })).toBeDisabled();
  await expect(row(0).getByRole('button', { name: 'Move up' })).toBeDisabled();
  await row(0).getByRole('button', { name: 'Move down' }).click();
  expect(await names()).toEqual([before[1], before[0], before[2], before[3]]);
  await row(3).getByRole('button', { name: 'Move up' }).click();
  expect(await names()).toEqual([before[1], before[0], before[3], before[2]]);
  await row(1).getByRole('button', { name: 'Move up' }).click();
  await row(2).getByRole('button', { name: 'Move down' }).click();
  expect(await names()).toEqual(before);
  const saved = await (await admin.request.get('/api/v1/admin/tiers')).json();
  expect(saved.plan.tiers.map((t: { name: string }) => t.name).slice(0, 4)).toEqual(before);
});

test('the KPI dashboard shows each KPI against the period before, for admins and support agents', async ({ browser }) => {
  const admin = await signedInPage(browser, ADMIN);
  await admin.getByRole('link', { name: 'Analytics' }).first().click();
  await expect(admin).toHaveURL(/\/analytics/);
  const api = await (await admin.request.get('/api/v1/analytics/kpis?days=30')).json();
  const value = (key: string) => api.kpis.find((k: { key: string }) => k.key === key).value;
  await expect(admin.getByTestId('kpi-active_members').getByTestId('kpi-value')).toHaveText(value('active_members').toLocaleString('en-GB'));
  await expect(admin.getByTestId('kpi-points_issued').getByTestId('kpi-value')).toHaveText(value('points_issued').toLocaleString('en-GB'));
  await expect(admin.getByTestId('kpi-retention_rate').getByTestId('kpi-value')).toHaveText(`${(value('retention_rate') * 100).toFixed(1)} %`);
  await expect(admin.locator('.kpi .sparkline').first()).toBeVisible();
  await admin.getByTestId('period-90').click();
  await expect(admin).toHaveURL(/days=90/);
  await expect(admin.getByTestId('kpi-period')).toContainText(api.to);

  const support = await signedInPage(browser, SUPPORT);
  await support.getByRole('link', { name: 'Analytics' }).click();
  await expect(support.getByTestId('kpi-members')).toBeVisible();
  await expect(support.getByTestId('kpi-nps')).toBeVisible();
});
