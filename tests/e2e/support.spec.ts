import { test, expect, signIn, ownServer, MEMBER, SUPPORT, signedInPage as signedInPageOn } from './fixtures';
import type { Browser, Page } from '@playwright/test';

// A server of its own with no generated feedback: the queue holds only
// what these tests create, so "top of the queue" means something.
const server = ownServer(8095, { PATRON_E2E_MEMBERS: '60', PATRON_E2E_FEEDBACK: '0' });
test.beforeAll(server.start);
test.afterAll(server.stop);

// CSP violations seen by the pages these tests open; none allowed.
let violations: string[] = [];
test.beforeEach(() => { violations = []; });
test.afterEach(() => { expect(violations, 'no CSP violations or page errors').toEqual([]); });

const signedInPage = (browser: Browser, who: { email: string; password: string }) =>
  signedInPageOn(browser, server.base, who, violations, false);

async function complaintByApi(page: Page, text: string) {
  const r = await page.request.post('/api/v1/feedback', {
    data: { kind: 'complaint', category: 'order', message: text, desired_resolution: 'A refund' },
  });
  expect(r.status()).toBe(201);
  return (await r.json()).id as number;
}

test('complaint → top of unassigned → assign, canned reply, note, resolve → member sees reply, never the note, and a CSAT prompt', async ({ browser }) => {
  const member = await signedInPage(browser, MEMBER);
  await expect(member.getByTestId('available-points')).toBeVisible();
  // Three older tickets: the agent bulk-assigns them, clearing "unassigned".
  const older = [];
  for (const t of ['Parcel arrived damaged, box crushed', 'Wrong size delivered twice now', 'Refund not received after return']) {
    older.push(await complaintByApi(member, t));
  }

  const agent = await signedInPage(browser, SUPPORT);
  await expect(agent).toHaveURL(/\/support$/);
  await agent.getByTestId('filter-assignee').selectOption('none');
  await expect(agent).toHaveURL(/assignee=none/);
  await expect(agent.getByTestId('queue-row')).toHaveCount(3);
  for (const box of await agent.getByTestId('queue-row').getByRole('checkbox').all()) await box.check();
  await expect(agent.getByTestId('bulk-bar')).toContainText('3 selected');
  await agent.getByTestId('bulk-assign').selectOption({ label: 'Kai Lin' });
  await expect(agent.getByTestId('desk-notice')).toHaveText('Updated 3 tickets.');
  await expect(agent.getByTestId('queue-empty')).toBeVisible();
  for (const id of older) {
    const t = await (await agent.request.get(`/api/v1/support/tickets/${id}`)).json();
    expect(t.assignee.name).toBe('Kai Lin');
  }

  // The member complains through the form.
  await member.getByRole('link', { name: 'Feedback' }).click();
  await member.getByLabel('Make a complaint').check();
  await member.getByLabel('What is it about?').selectOption('points');
  await member.getByLabel('What happened?').fill('My birthday bonus never arrived this year.');
  await member.getByLabel('What would put it right?').fill('Add the bonus');
  await member.getByRole('button', { name: 'Send' }).click();
  await expect(member.getByTestId('feedback-thanks')).toContainText('FB-');

  // It is at the top of "unassigned, oldest first".
  await agent.reload();
  const first = agent.getByTestId('queue-row').first();
  await expect(first).toContainText('My birthday bonus never arrived this year.');
  // Keyboard: j puts the cursor on it, a assigns it to me, Enter opens it.
  await agent.keyboard.press('j');
  await expect(first).toHaveAttribute('aria-current', 'true');
  await agent.keyboard.press('a');
  await expect(first.getByTestId('row-assignee')).toHaveText('Sam Support');
  await agent.keyboard.press('Enter');
  await expect(agent).toHaveURL(/\/support\/tickets\/\d+$/);
  await expect(agent.getByTestId('ticket-assignee')).toHaveText('Sam Support');
  // The demo member is Gold, a VIP tier: the ticket came in as high priority.
  await expect(agent.getByTestId('ticket-priority')).toHaveText('High');
  await expect(agent.getByTestId('member-context')).toContainText('Li Wei');
  await expect(agent.getByTestId('context-tier')).toHaveText('Gold');

  // A canned reply by shortcut, placeholders filled in.
  const box = agent.getByTestId('reply-body');
  await box.fill('/than');
  await expect(agent.getByTestId('canned-suggestions')).toContainText('/thanks');
  await box.press('Tab');
  await expect(box).toHaveValue(/^Hello Li,\n\nThank you for getting in touch about FB-\d{6}\./);
  await expect(box).toHaveValue(/Sam Support$/);
  await agent.getByRole('button', { name: 'Send reply' }).click();
  await expect(agent.getByTestId('staff-thread').getByTestId('message').last()).toContainText('Thank you for getting in touch');
  await expect(box).toHaveValue('');

  // An internal note, shown apart.
  await agent.getByTestId('internal-toggle').check();
  await box.fill('INTERNAL: bonus job skipped this member, adding by hand');
  await agent.getByRole('button', { name: 'Add internal note' }).click();
  await expect(agent.getByTestId('staff-thread').getByTestId('note')).toContainText('INTERNAL: bonus job skipped');

  // Reply and resolve.
  await box.fill('Done: the 500 bonus points are in your account.');
  await agent.getByRole('button', { name: 'Send and resolve' }).click();
  await expect(agent.getByTestId('staff-ticket-status')).toHaveText('Resolved');
  await expect(agent.getByTestId('ticket-history')).toContainText('Status: Open → Resolved');

  // The member sees the replies and the status, never the note, and is asked to rate.
  await member.getByRole('link', { name: 'My requests', exact: true }).click();
  await member.getByTestId('ticket-list').getByRole('link', { name: 'My birthday bonus never arrived this year.' }).click();
  const thread = member.getByTestId('thread');
  await expect(thread).toContainText('Thank you for getting in touch');
  await expect(thread).toContainText('the 500 bonus points are in your account');
  await expect(thread).not.toContainText('INTERNAL');
  await expect(member.getByTestId('ticket-status')).toHaveText('Resolved');
  await expect(member.getByTestId('csat-prompt')).toBeVisible();

  // A member is refused the desk in the UI and by the API.
  await member.goto('/support');
  await expect(member.getByTestId('forbidden')).toBeVisible();
  expect((await member.request.get('/api/v1/support/queue')).status()).toBe(403);
});

test('keyboard j/k/Enter walk the queue; ? shows the keys; a stale change is refused clearly', async ({ browser }) => {
  const member = await signedInPage(browser, MEMBER);
  await expect(member.getByTestId('available-points')).toBeVisible();
  for (const t of ['Keyboard test one: points missing', 'Keyboard test two: coupon rejected', 'Keyboard test three: slow refund']) {
    await complaintByApi(member, t);
  }
  const agent = await signedInPage(browser, SUPPORT);
  await expect(agent).toHaveURL(/\/support$/);
  await agent.getByTestId('queue-search').fill('keyboard test');
  await expect(agent).toHaveURL(/q=keyboard/);
  const rows = agent.getByTestId('queue-row');
  await expect(rows).toHaveCount(3);
  await agent.locator('body').click({ position: { x: 5, y: 5 } });
  await agent.keyboard.press('j');
  await agent.keyboard.press('j');
  await agent.keyboard.press('j');
  await agent.keyboard.press('k');
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(rows.nth(0)).not.toHaveAttribute('aria-current', 'true');
  const secondId = await rows.nth(1).getAttribute('data-id');
  await agent.keyboard.press('?');
  await expect(agent.getByTestId('keys-help')).toContainText('Keyboard shortcuts');
  await agent.keyboard.press('Escape');
  await expect(agent.getByTestId('keys-help')).not.toBeVisible();
  await agent.keyboard.press('Enter');
  await expect(agent).toHaveURL(new RegExp(`/support/tickets/${secondId}$`));
  // The agent has the ticket on screen (its version) before the other change.
  await expect(agent.getByTestId('staff-thread')).toBeVisible();

  // Someone else changes the ticket meanwhile: saving says so and keeps the choice.
  const other = await agent.context().request;
  const seen = await (await other.get(`/api/v1/support/tickets/${secondId}`)).json();
  await other.patch(`/api/v1/support/tickets/${secondId}`, { data: { version: seen.version, priority: 'urgent' } });
  await agent.getByTestId('triage-status').selectOption('waiting');
  await agent.getByRole('button', { name: 'Save' }).click();
  await expect(agent.getByTestId('triage-error')).toContainText('Someone else changed this ticket');
  await expect(agent.getByTestId('triage-status')).toHaveValue('waiting');
  await agent.getByTestId('triage-error').getByRole('button', { name: 'Reload' }).click();
  await expect(agent.getByTestId('ticket-priority')).toHaveText('Urgent');
});

test('reports: tickets nobody holds are one agent row, named in the reader\'s language', async ({ browser }) => {
  const member = await signedInPage(browser, MEMBER);
  await expect(member.getByTestId('available-points')).toBeVisible();
  await complaintByApi(member, 'Report test: nobody has picked this up yet');
  const agent = await signedInPage(browser, SUPPORT);
  await expect(agent).toHaveURL(/\/support$/);
  await agent.goto('/support/reports');
  const byAgent = agent.getByTestId('sla-by-agent');
  await expect(byAgent.getByRole('rowheader', { name: 'Unassigned', exact: true })).toBeVisible();
  await agent.getByTestId('language').selectOption('zh');
  await expect(byAgent.getByRole('rowheader', { name: '未分配', exact: true })).toBeVisible();
  await agent.getByTestId('language').selectOption('en');
  await expect(byAgent.getByRole('rowheader', { name: 'Unassigned', exact: true })).toBeVisible();
});

test('the desk pages work at 360 px without sideways scrolling', async ({ browser }) => {
  const ctx = await browser.newContext({ baseURL: server.base, locale: 'en-GB', viewport: { width: 360, height: 800 } });
  const page = await ctx.newPage();
  page.on('console', (msg) => { if (msg.text().includes('Content Security Policy')) violations.push(msg.text()); });
  await signIn(page, SUPPORT);
  await expect(page).toHaveURL(/\/support$/);
  for (const [path, ready] of [['/support', 'queue-total'], ['/support/reports', 'survey-chart'], ['/support/settings', 'canned-list']]) {
    await page.goto(path);
    await expect(page.getByTestId(ready)).toBeVisible();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), path).toBeLessThanOrEqual(360);
  }
  await ctx.close();
});
