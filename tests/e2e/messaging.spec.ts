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
