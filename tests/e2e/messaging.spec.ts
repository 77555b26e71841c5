// Messages to members, through a real SMTP server (aiosmtpd on a free
// port) and the server's own delivery worker. The admin edits the welcome
// template: a field it does not have is refused by name and what was typed
// stays; the preview renders it for the demo member; once saved, a member
// who joins gets it at the mail server, and the outbox shows it sent.
import { test, expect, ownServer, ADMIN, signedInPage, smtpSink } from './fixtures';

const server = ownServer(8096, { PATRON_E2E_MEMBERS: '60', PATRON_E2E_FEEDBACK: '0' });
let sink: Awaited<ReturnType<typeof smtpSink>>;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  sink = await smtpSink();
  await server.startWith({ PATRON_SMTP_URL: sink.url });
});
test.afterAll(async () => {
  await server.stop();
  sink.stop();
});

test('an edited welcome template reaches a new member at the mail server and shows as sent', async ({ browser, cspViolations }) => {
  const admin = await signedInPage(browser, server.base, ADMIN, cspViolations);
  const demo = (await (await admin.request.get(`${server.base}/api/v1/admin/members?q=member@patron.test`)).json()).items[0];
  await admin.goto('/admin/messaging');
  await admin.getByTestId('tab-templates').click();
  await expect(admin.getByTestId('template-fields')).toContainText('{{ card_number }}');
  const text = admin.getByTestId('template-text');
  await text.fill('Hi {{ first_name }}, your shoe size is {{ shoe_size }}.');
  await admin.getByTestId('template-save').click();
  await expect(admin.getByText('Unknown merge field: shoe_size')).toBeVisible();
  await expect(text).toHaveValue('Hi {{ first_name }}, your shoe size is {{ shoe_size }}.');

  await text.fill('Hi {{ first_name }}, your card is {{ card_number }}.');
  await admin.getByTestId('template-member').fill(String(demo.id));
  await admin.getByTestId('template-preview').click();
  await expect(admin.getByTestId('preview-subject')).toHaveText('Welcome to the programme, Li');
  await expect(admin.getByTestId('preview-text')).toContainText('Hi Li, your card is 88');
  await admin.getByTestId('template-save').click();
  await expect(admin.getByTestId('template-saved')).toBeVisible();

  const email = `zoe.${Date.now()}@example.test`;
  // Joining signs the new member in: on a client of their own.
  const joined = await fetch(`${server.base}/api/v1/auth/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Zoe Quinn', email, password: 'a long enough password' }),
  });
  expect(joined.status).toBe(201);
  // The worker looks every 2 s.
  await expect.poll(() => sink.messages().filter((m) => m.rcpt_tos.includes(email)).length, { timeout: 20_000 }).toBe(1);
  const got = sink.messages().find((m) => m.rcpt_tos.includes(email));
  expect(got.subject).toBe('Welcome to the programme, Zoe');
  expect(got.text).toMatch(/^Hi Zoe, your card is 8800\d{8}\./);

  await admin.getByTestId('tab-outbox').click();
  await expect(admin.getByTestId('delivery-mode')).toContainText('delivered through the mail server');
  await admin.getByTestId('outbox-filter-sent').click();
  const row = admin.getByTestId('outbox-row').filter({ hasText: email });
  await expect(row.getByTestId('outbox-status')).toHaveText('Sent');
  await row.getByRole('button', { name: 'Welcome to the programme, Zoe' }).click();
  await expect(admin.getByTestId('outbox-text')).toContainText('Hi Zoe, your card is 8800');
  expect(cspViolations).toEqual([]);
});

test('automations, sending rules, holidays and suppressions from the console; the member reads what was sent', async ({ browser, cspViolations }) => {
  const admin = await signedInPage(browser, server.base, ADMIN, cspViolations);
  await admin.goto('/admin/messaging');
  await admin.getByTestId('tab-automations').click();
  const welcome = admin.getByTestId('automation-welcome');
  await expect(welcome).toContainText('Welcome');
  const winBack = admin.getByTestId('automation-win_back').getByRole('checkbox');
  await expect(winBack).toBeChecked();
  await winBack.uncheck();
  await expect.poll(async () => (await (await admin.request.get(`${server.base}/api/v1/admin/messaging/automations`)).json())
    .automations.find((a: any) => a.key === 'win_back').enabled).toBe(false);

  const cap = admin.getByTestId('rule-frequency_cap');
  await cap.fill('0');
  await admin.getByRole('button', { name: 'Save rules' }).click();
  await expect(admin.getByText('Allow 1 to 50 marketing messages per week.')).toBeVisible();
  await expect(cap).toHaveValue('0');
  await cap.fill('4');
  await admin.getByRole('button', { name: 'Save rules' }).click();
  await expect(admin.getByTestId('rules-form').getByRole('status')).toHaveText('Saved.');

  const holidays = admin.getByTestId('holidays');
  await expect(holidays.getByTestId('holiday').filter({ hasText: 'Spring Festival / 春节' })).toContainText(/\d{4}-\d{2}-\d{2}/);
  const form = admin.getByTestId('holiday-form');
  await form.getByLabel('Name (English)').fill("Founders' Day");
  await form.getByLabel('Name (Chinese)').fill('建店日');
  await form.getByLabel('Month').fill('5');
  await form.getByLabel('Day', { exact: true }).fill('20');
  await form.getByRole('button', { name: 'Add holiday' }).click();
  await expect(holidays.getByTestId('holiday').filter({ hasText: "Founders' Day / 建店日" })).toContainText('-05-20');

  await admin.getByTestId('tab-suppressions').click();
  await admin.getByTestId('suppression-email').fill('nomail@example.test');
  await admin.getByRole('button', { name: 'Suppress' }).click();
  const row = admin.getByTestId('suppression-row').filter({ hasText: 'nomail@example.test' });
  await expect(row).toContainText('Added by an admin');
  await row.getByRole('button', { name: 'Lift' }).click();
  await expect(row).toHaveCount(0);

  // The member who joined in the first test reads their welcome.
  const zoe = sink.messages().find((m) => m.subject === 'Welcome to the programme, Zoe');
  const member = await signedInPage(browser, server.base, { email: zoe.rcpt_tos[0], password: 'a long enough password' }, cspViolations);
  await member.goto('/profile');
  const mine = member.getByTestId('message-centre').getByTestId('my-message').first();
  await expect(mine).toContainText('Welcome to the programme, Zoe');
  await mine.getByText('Welcome to the programme, Zoe').click();
  await expect(mine.locator('pre')).toContainText('Hi Zoe, your card is 8800');
  expect(cspViolations).toEqual([]);
});
