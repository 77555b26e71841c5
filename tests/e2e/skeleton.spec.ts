import { test, expect, signIn, ownServer, MEMBER, ADMIN } from './fixtures';

const fmt = (n: number) => new Intl.NumberFormat('en-GB').format(n);

test('demo member sees the balance and tier progress the API reports', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page).toHaveURL(/\/dashboard$/);
  const res = await page.request.get('/api/v1/me/summary');
  expect(res.status()).toBe(200);
  const s = await res.json();

  await expect(page.getByTestId('available-points')).toHaveText(fmt(s.balance.available));
  await expect(page.getByTestId('pending-points')).toHaveText(fmt(s.balance.pending));
  await expect(page.getByTestId('tier-name')).toHaveText(s.tier.current.name);
  if (s.tier.next) {
    await expect(page.getByTestId('to-next')).toContainText(`${fmt(s.tier.to_next)} more points`);
    await expect(page.getByTestId('to-next')).toContainText(s.tier.next.name);
  }
  if (s.tier.to_keep > 0) {
    await expect(page.getByTestId('to-keep')).toContainText(`${fmt(s.tier.to_keep)} more points`);
  }
  if (s.balance.expiring_soon > 0) {
    await expect(page.getByTestId('expiring-notice')).toContainText(fmt(s.balance.expiring_soon));
  }
  await expect(page.getByTestId('activity-list').locator('li')).toHaveCount(s.recent.length);
  await expect(page.getByTestId('programme-name')).toHaveText('Lotus Rewards');
  // The session cookie is out of script's reach.
  expect(await page.evaluate(() => document.cookie)).not.toContain('patron_session');
});

test('wrong password shows an error and keeps the email', async ({ page, cspViolations }) => {
  await signIn(page, { email: MEMBER.email, password: 'not-the-password' });
  await expect(page.getByRole('alert')).toContainText('The email or password is not right');
  await expect(page.getByLabel('Email')).toHaveValue(MEMBER.email);
  await expect(page).toHaveURL(/\/sign-in/);
});

test('a member typing /admin is refused, by the page and by the API', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.goto('/admin');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
  const api = await page.request.get('/api/v1/admin/overview');
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe('forbidden');
});

test('signed-out visitors are sent to sign-in and come back after', async ({ page, cspViolations }) => {
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in\?return=\/dashboard$/);
  await page.getByLabel('Email').fill(MEMBER.email);
  await page.getByLabel('Password').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('available-points')).toBeVisible();
});

test('sign-out returns to sign-in and ends the session', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  const me = await page.request.get('/api/v1/auth/me');
  expect(me.status()).toBe(401);
  // The app still works without a reload: signing in again, and out again.
  await page.getByLabel('Email').fill(MEMBER.email);
  await page.getByLabel('Password').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in\?return=/);
});

test('admin lands on the console and sees who is signed in', async ({ page, cspViolations }) => {
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('who')).toContainText('Ada Admin');
  const o = await (await page.request.get('/api/v1/admin/overview')).json();
  await expect(page.getByTestId('admin-members')).toHaveText(fmt(o.members));
  await page.getByRole('link', { name: 'Support desk' }).click();
  await expect(page).toHaveURL(/\/support$/);
  await expect(page.getByTestId('support-members')).toHaveText(fmt(o.members));
});

test('the language switch gives Chinese and is remembered', async ({ page, cspViolations }) => {
  await page.goto('/sign-in');
  await page.getByTestId('language').selectOption('zh');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
  await expect(page.locator('html')).toHaveAttribute('lang', /zh/);
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
});

test('an unknown address shows the not-found page', async ({ page, cspViolations }) => {
  await page.goto('/no/such/page');
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test.describe('server stopped', () => {
  const port = 8097;
  const { start, stop } = ownServer(port, { PATRON_E2E_MEMBERS: '50', PATRON_E2E_FEEDBACK: '0' });
  test.afterAll(stop);

  test('the page shows a retry message, not a blank screen, and recovers', async ({ page, cspViolations }) => {
    await start();
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('admin-members')).toBeVisible();

    await stop();
    await page.getByRole('link', { name: 'Support desk' }).click();
    const panel = page.getByTestId('error-panel').first();
    await expect(panel).toBeVisible();
    await expect(panel).toContainText("We can't reach the server");
    await expect(page.getByTestId('programme-name')).toBeVisible();

    await start();
    await panel.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('support-members')).toHaveText('50');
    // Failed fetches log network errors; those are not CSP violations.
  });
});
