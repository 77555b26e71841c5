// Points expire as time passes. The server seeds a fresh database today,
// stops, and starts again 45 days later (PATRON_NOW): its scheduler
// expires the lots that lapsed meanwhile. The admin sees the run on the
// settings page and can run it again (nothing twice); the member sees the
// expiry in their history, dated, and the dashboard agrees with the ledger.
import { test, expect, ownServer, ADMIN, MEMBER, signedInPage } from './fixtures';

const server = ownServer(8092, { PATRON_E2E_MEMBERS: '200', PATRON_E2E_FEEDBACK: '0' });
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  await server.start();
  await server.stop();
  await server.startWith({ PATRON_NOW: '+45d' });
});
test.afterAll(async () => server.stop());

test('lapsed points expire once; the admin sees the run and runs it again; the member sees it in history', async ({ browser, cspViolations }) => {
  const admin = await signedInPage(browser, server.base, ADMIN, cspViolations);
  // The scheduler's first check runs at start-up; wait for its run.
  await expect.poll(async () => (await (await admin.request.get(`${server.base}/api/v1/admin/expiry`)).json()).last_run?.status,
    { timeout: 30_000 }).toBe('succeeded');
  const first = (await (await admin.request.get(`${server.base}/api/v1/admin/expiry`)).json()).last_run;
  expect(first.points).toBeGreaterThan(0);

  await admin.goto('/admin/settings');
  const card = admin.getByTestId('expiry-card');
  await expect(card.getByRole('heading', { name: 'Points expiry' })).toBeVisible();
  const fmt = (n: number) => n.toLocaleString('en-GB');
  await expect(card.getByTestId('expiry-last-run')).toContainText(`${fmt(first.points)} points expired from ${fmt(first.lots)} lots of ${fmt(first.members)} members`);
  await expect(card.getByTestId('expiry-upcoming')).toContainText(/members hold [\d,]+ points that expire in the next 30 days/);

  await card.getByRole('button', { name: 'Run now' }).click();
  await expect(admin.getByText('Expiry ran: 0 points from 0 lots.')).toBeVisible();
  await expect(card.getByTestId('expiry-last-run')).toContainText('(run by Ada Admin)');
  await expect(card.getByTestId('expiry-last-run')).toHaveAttribute('data-status', 'succeeded');

  // The member: the expiry is in the history with its date, and what the
  // dashboard shows is what the ledger sums to.
  const member = await signedInPage(browser, server.base, MEMBER, cspViolations);
  const expired = await (await member.request.get(`${server.base}/api/v1/me/ledger?kind=expire`)).json();
  expect(expired.total).toBeGreaterThan(0);
  // The newest is the job's: a lot of the demo member's that lapsed in
  // those 45 days, dated at its expiry (the seed's own are in the past).
  const newest = expired.items[0];
  expect(Date.parse(newest.created_at)).toBeGreaterThan(Date.now());
  expect(Date.parse(newest.created_at)).toBeLessThan(Date.now() + 45 * 86_400_000);
  await member.goto('/history?kind=expire');
  await expect(member.getByTestId('history-total')).toHaveText(`${fmt(expired.total)} entries`);
  await expect(member.getByTestId('history-list').getByRole('listitem').first()).toContainText('Points expired');
  const summary = await (await member.request.get(`${server.base}/api/v1/me/summary`)).json();
  expect(summary.balance.balance).toBe(summary.balance.available + summary.balance.pending);
});

test('support staff cannot run expiry', async ({ browser, cspViolations }) => {
  const page = await signedInPage(browser, server.base, { email: 'support@patron.test', password: 'patron-support' }, cspViolations);
  const res = await page.request.post(`${server.base}/api/v1/admin/expiry/runs`);
  expect(res.status()).toBe(403);
  expect((await res.json()).error.message).toBeTruthy();
});
