import { test, expect, signIn, MEMBER } from './fixtures';

const fmt = (n: number) => new Intl.NumberFormat('en-GB').format(n);

test('history filters live in the URL and survive a reload', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('link', { name: 'History' }).click();
  const all = await (await page.request.get('/api/v1/me/ledger')).json();
  await expect(page.getByTestId('history-total')).toHaveText(`${fmt(all.total)} entries`);
  expect(all.total).toBeGreaterThan(40); // more than one page of 40

  await page.getByTestId('filter-kind').selectOption('earn');
  await expect(page).toHaveURL(/\/history\?kind=earn$/);
  const earn = await (await page.request.get('/api/v1/me/ledger?kind=earn')).json();
  await expect(page.getByTestId('history-total')).toHaveText(`${fmt(earn.total)} entries`);
  await page.reload();
  await expect(page.getByTestId('filter-kind')).toHaveValue('earn');
  await expect(page.getByTestId('history-total')).toHaveText(`${fmt(earn.total)} entries`);

  // The list is virtual: only the rows in view are in the DOM, and
  // scrolling to the end loads the next pages until the oldest entry shows.
  const list = page.getByTestId('history-list');
  const rows = list.getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThanOrEqual(30);
  await expect(rows.first()).toHaveAttribute('aria-setsize', String(earn.total));
  for (let i = 0; i < 10; i++) {
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(100);
  }
  await expect(list.locator(`[aria-posinset="${earn.total}"]`)).toBeVisible();
  expect(await rows.count()).toBeLessThanOrEqual(30);
  // The CSV link carries the same filter.
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', '/api/v1/me/ledger.csv?kind=earn');
});

test('redeeming a reward: confirm with the balance after, get a code, see it in the wallet', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('link', { name: 'Rewards' }).click();
  const before = await (await page.request.get('/api/v1/rewards')).json();
  await expect(page.getByTestId('rewards-available')).toContainText(fmt(before.available_points));

  // A locked reward says why.
  const locked = before.items.find((r: any) => r.availability === 'tier_locked');
  if (locked) {
    const card = page.getByTestId('reward').filter({ hasText: locked.name });
    await expect(card.getByTestId('reward-why')).toContainText(`Needs ${locked.min_tier.name} tier`);
    await expect(card.getByRole('button', { name: 'Redeem' })).toBeDisabled();
  }

  const voucher = before.items.find((r: any) => r.name === '¥10 voucher');
  expect(voucher.availability).toBe('available');
  await page.getByTestId('reward').filter({ hasText: '¥10 voucher' }).getByRole('button', { name: 'Redeem' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`This costs ${fmt(1000)} points. You will have ${fmt(before.available_points - 1000)} points left.`);

  // Exactly one request, with an Idempotency-Key.
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/api/v1/redemptions') && r.method() === 'POST'),
    dialog.getByRole('button', { name: 'Confirm' }).click(),
  ]);
  expect(req.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  await expect(dialog.getByTestId('redeem-code')).toContainText('LR-');
  const code = (await dialog.getByTestId('redeem-code').textContent())!.match(/LR-[A-Z0-9-]+/)![0];

  await dialog.getByRole('link', { name: 'See my vouchers' }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByTestId('voucher').first().getByTestId('voucher-code')).toHaveText(code);
  await expect(page.getByTestId('voucher').first().getByTestId('voucher-status')).toHaveText('Ready to use');

  const after = await (await page.request.get('/api/v1/me/summary')).json();
  expect(after.balance.available).toBe(before.available_points - 1000);
});

test('tiers are compared side by side with the member\'s own highlighted', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('link', { name: 'Tiers' }).click();
  const s = await (await page.request.get('/api/v1/me/summary')).json();
  await expect(page.getByTestId('tier-column')).toHaveCount(4);
  const own = page.locator('[data-testid=tier-column][aria-current=true]');
  await expect(own).toHaveCount(1);
  await expect(own).toContainText(s.tier.current.name);
  await expect(own.getByTestId('own-tier')).toHaveText('Your tier');
});

test('the member pages work at 360 px without sideways scrolling', async ({ page, cspViolations }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, MEMBER);
  for (const path of ['/dashboard', '/history', '/rewards', '/wallet', '/tiers', '/referral', '/feedback', '/tickets', '/profile']) {
    await page.goto(path);
    await expect(page.locator('main h1')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} fits in 360 px`).toBeLessThanOrEqual(0);
  }
});
