import { test, expect, signIn, MEMBER, SUPPORT, ADMIN } from './fixtures';

test('complaint → support replies and notes → member sees the reply, never the note, and rates it', async ({ page, browser, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('link', { name: 'Feedback' }).click();
  await page.getByLabel('Make a complaint').check();
  // A too-short description is refused next to the field, and the text stays.
  await page.getByLabel('What is it about?').selectOption('points');
  await page.getByLabel('What happened?').fill('Short');
  await page.getByLabel('What would put it right?').fill('Add my points');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('Tell us what happened (at least 10 characters).')).toBeVisible();
  await expect(page.getByLabel('What happened?')).toHaveValue('Short');
  await page.getByLabel('What happened?').fill('My points for last week\'s order never arrived.');
  await page.getByRole('button', { name: 'Send' }).click();
  const thanks = page.getByTestId('feedback-thanks');
  await expect(thanks).toContainText('Your reference number is FB-');

  const tickets = await (await page.request.get('/api/v1/me/tickets')).json();
  const id = tickets.items[0].id;

  // Support answers through the API with a note and a reply, then resolves.
  const staff = await browser.newContext();
  const login = await staff.request.post('/api/v1/auth/login', { data: SUPPORT });
  expect(login.status()).toBe(200);
  await staff.request.post(`/api/v1/support/tickets/${id}/messages`, { data: { body: 'INTERNAL: check the import job', internal: true } });
  await staff.request.post(`/api/v1/support/tickets/${id}/messages`, { data: { body: 'We have added your points. Sorry!', status: 'resolved' } });
  await staff.close();

  await thanks.getByRole('link', { name: 'See my requests' }).click();
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  await page.getByTestId('ticket-list').getByRole('link').first().click();
  await expect(page.getByTestId('thread')).toContainText('We have added your points. Sorry!');
  await expect(page.getByTestId('thread')).not.toContainText('INTERNAL');
  await expect(page.getByTestId('ticket-status')).toHaveText('Resolved');
  await page.getByTestId('csat-prompt').getByRole('button', { name: '5 / 5' }).click();
  await expect(page.getByTestId('csat-done')).toContainText('5 out of 5');
});

test('profile changes and consents are saved and shown after a reload', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByLabel('City').fill('Suzhou');
  await page.getByLabel('Survey invitations').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
  const p = await (await page.request.get('/api/v1/me/profile')).json();
  expect(p.city).toBe('Suzhou');
  const survey = p.consents.find((c: any) => c.channel === 'survey_invitations');
  expect(survey.granted).toBe(true);
  expect(survey.at).toBeTruthy();
  await page.reload();
  await expect(page.getByLabel('City')).toHaveValue('Suzhou');
});

test('in Chinese, the server\'s messages and the points history are in Chinese too', async ({ page, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByTestId('language').selectOption('zh');
  await page.goto('/profile');
  // An empty name is refused by the server; its message comes in Chinese
  // and the field keeps what was typed (nothing).
  await page.locator('#p-name').fill('');
  await page.getByTestId('profile-form').getByRole('button', { name: '保存更改' }).click();
  await expect(page.locator('#p-name-err')).toHaveText('此项不能为空。');
  await expect(page.locator('#p-name')).toHaveValue('');
  // The ledger keeps English reasons; the history shows them in Chinese.
  await page.goto('/history');
  const list = page.getByTestId('history-list');
  await expect(list).toContainText('订单 ');
  await expect(list).not.toContainText('Order ');
  await page.getByTestId('language').selectOption('en');
  await expect(list).toContainText('Order ');
});

test('a friend joins through the referral link; both get the bonus at the first purchase', async ({ page, browser, baseURL, cspViolations }) => {
  await signIn(page, MEMBER);
  await expect(page.getByTestId('available-points')).toBeVisible();
  await page.getByRole('link', { name: 'Invite friends' }).click();
  const link = await page.getByTestId('referral-link').textContent();
  expect(link).toMatch(/\/join\?ref=[A-Z0-9]{8}$/);

  const friend = await browser.newPage();
  await friend.goto(link!);
  await friend.getByLabel('Name').fill('Sun Mei');
  await friend.getByLabel('Email').fill(`sun${Date.now()}@patron.test`);
  await friend.getByLabel('Password (at least 10 characters)').fill('sun-mei-password');
  await friend.getByRole('button', { name: 'Create my account' }).click();
  // Joining alone is no proof of a customer: nothing yet.
  await expect(friend.getByTestId('available-points')).toHaveText('0');
  await page.reload();
  await expect(page.getByTestId('referees')).toContainText('Sun M.');
  await expect(page.getByTestId('referees')).toContainText('Joined');

  // The till records the friend's first purchase: both bonuses arrive.
  const me = await (await friend.request.get('/api/v1/auth/me')).json();
  const till = await browser.newContext({ baseURL });
  expect((await till.request.post('/api/v1/auth/login', { data: ADMIN })).ok()).toBeTruthy();
  const sale = await till.request.post('/api/v1/transactions', {
    data: { member_id: me.member_id, order_ref: `SUN-${Date.now()}`, lines: [{ category: 'grocery', amount_minor: 3000 }] },
  });
  expect(sale.status()).toBe(201);
  await till.close();
  const earned = await (await friend.request.get('/api/v1/me/ledger?kind=earn')).json();
  expect(earned.items.map((e: { reason: string; points: number }) => [e.reason, e.points]))
    .toContainEqual(['Welcome bonus: joined with a referral', 500]);
  await friend.reload();
  await expect(friend.getByTestId('activity-list')).toContainText('joined with a referral');
  await friend.close();
  await page.reload();
  await expect(page.getByTestId('referees')).toContainText('Made a first purchase');
});
