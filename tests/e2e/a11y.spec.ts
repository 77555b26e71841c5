// Accessibility: axe-core 4.10 (WCAG 2.0/2.1 A and AA rules) on every route
// of the app, signed in as the role that uses it, in the light and the dark
// theme. A serious or critical violation (contrast below 4.5:1, a field
// without a label, …) fails the test, listed with the elements it hit.
import { readFileSync } from 'node:fs';
import { Browser, Page } from '@playwright/test';
import { test, expect, signIn, MEMBER, ADMIN, SUPPORT } from './fixtures';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type Who = { email: string; password: string } | null;

/// Every route of `src/app.rs` (ids filled in at run time).
const ROUTES: [Who, string[]][] = [
  [null, ['/sign-in', '/join']],
  [MEMBER, ['/dashboard', '/history', '/rewards', '/wallet', '/tiers', '/referral', '/feedback', '/tickets',
    '/tickets/{ticket}', '/profile']],
  [SUPPORT, ['/support', '/support/tickets/{ticket}', '/support/reports', '/support/settings']],
  [ADMIN, ['/admin', '/analytics', '/admin/members', '/admin/members/{member}', '/admin/tiers', '/admin/rules',
    '/admin/rewards', '/admin/audit', '/admin/staff', '/admin/settings', '/admin/segments', '/admin/segments/new',
    '/admin/segments/{segment}', '/admin/segments/{segment}/edit', '/admin/at-risk', '/admin/messaging']],
];

type Finding = { route: string; theme: string; rule: string; impact: string; help: string; nodes: string[] };

async function audit(page: Page, route: string, theme: string): Promise<Finding[]> {
  await page.goto(route);
  // The page has drawn its data: a heading, and no skeleton left.
  await expect(page.locator('main h1, main h2').first()).toBeVisible();
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the script just added
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v: any) => ({
      rule: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n: any) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1).join(' ')}`),
    }));
  });
  return violations
    .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: any) => ({ route, theme, ...v }));
}

async function pageFor(browser: Browser, baseURL: string, who: Who, theme: 'light' | 'dark'): Promise<Page> {
  // CSP is bypassed only so the audit script can be injected.
  const ctx = await browser.newContext({ baseURL, locale: 'en-GB', colorScheme: theme, bypassCSP: true });
  const page = await ctx.newPage();
  if (who) {
    await signIn(page, who);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    if (who === ADMIN) await expect(page.getByRole('navigation', { name: 'Admin sections' })).toBeVisible();
    else await expect(page.locator('main h1')).toBeVisible();
  }
  return page;
}

/// Objects the routes with ids show: a ticket of the member's own, a member,
/// a saved segment.
async function ids(browser: Browser, baseURL: string): Promise<Record<string, string>> {
  const member = await pageFor(browser, baseURL, MEMBER, 'light');
  const sent = await member.request.post('/api/v1/feedback', {
    data: { kind: 'complaint', category: 'points', message: 'My points for the order never arrived.', desired_resolution: 'Add them' },
  });
  expect(sent.status()).toBe(201);
  const tickets = await (await member.request.get('/api/v1/me/tickets')).json();
  // A voucher in the wallet, so its cards are audited too.
  const list = await (await member.request.get('/api/v1/rewards')).json();
  const affordable = list.items.filter((r: any) => r.cost_points <= list.available_points);
  let redeemed = false;
  for (const r of affordable) {
    const res = await member.request.post('/api/v1/redemptions', {
      data: { reward_id: r.id }, headers: { 'Idempotency-Key': `a11y-${r.id}-${Date.now()}` },
    });
    if (res.ok()) { redeemed = true; break; }
  }
  expect(redeemed, 'the demo member can redeem a reward').toBe(true);
  const admin = await pageFor(browser, baseURL, ADMIN, 'light');
  const members = await (await admin.request.get('/api/v1/admin/members?limit=1')).json();
  const definition = { join: 'all', groups: [{ join: 'all', conditions: [{ field: 'attribute', attribute: 'gender', any_of: ['female'] }] }] };
  const seg = await admin.request.post('/api/v1/analytics/segments', { data: { name: 'Accessibility check', definition } });
  expect(seg.status()).toBe(201);
  const out = {
    '{ticket}': String(tickets.items[0].id),
    '{member}': String(members.items[0].id),
    '{segment}': String((await seg.json()).id),
  };
  await member.context().close();
  await admin.context().close();
  return out;
}

for (const theme of ['light', 'dark'] as const) {
  test(`every route passes axe-core's WCAG 2.1 AA rules in the ${theme} theme`, async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const fill = await ids(browser, baseURL!);
    const findings: Finding[] = [];
    let audited = 0;
    for (const [who, routes] of ROUTES) {
      const page = await pageFor(browser, baseURL!, who, theme);
      for (const r of routes) {
        const route = r.replace(/\{\w+\}/g, (k) => fill[k]);
        findings.push(...(await audit(page, route, theme)));
        audited++;
      }
      await page.context().close();
    }
    expect(audited).toBe(32);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
}
