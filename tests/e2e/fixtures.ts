import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, Browser, Page } from '@playwright/test';

export const MEMBER = { email: 'member@patron.test', password: 'patron-member' };
export const ADMIN = { email: 'admin@patron.test', password: 'patron-admin' };
export const SUPPORT = { email: 'support@patron.test', password: 'patron-support' };

/// Every page records CSP violations and uncaught errors (a Rust panic among
/// them); each test ends by asserting none.
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: async ({ page }, use) => {
    const violations: string[] = [];
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        // Surface in the console so the test side sees it.
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page.on('console', (msg) => {
      const t = msg.text();
      if (t.includes('CSP violation') || t.includes('Content Security Policy') || t.includes('panicked at')) violations.push(t);
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
    await use(violations);
    expect(violations, 'no CSP violations or page errors').toEqual([]);
  },
});

export { expect };

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/// A new browser context on `baseURL`, signed in as `who`, whose CSP
/// violations and uncaught errors (a Rust panic among them) are pushed to
/// `violations`. With `settle` it waits for the
/// landing page: an admin lands on /admin, which reloads into the console
/// bundle, and a test's own navigation must not be cut short by that reload.
export async function signedInPage(browser: Browser, baseURL: string, who: { email: string; password: string },
  violations: string[], settle = true): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, locale: 'en-GB', acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('console', (msg) => {
    const t = msg.text();
    if (t.includes('Content Security Policy') || t.includes('panicked at')) violations.push(t);
  });
  page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  await signIn(page, who);
  if (settle) {
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    if (who === ADMIN) await expect(page.getByRole('navigation', { name: 'Admin sections' })).toBeVisible();
    else await expect(page.locator('main h1')).toBeVisible();
  }
  return page;
}

/// A server of our own on `port` with a fresh database (for tests that
/// stop it or need data no other test touches). `env` sets the seed size.
export function ownServer(port: number, env: Record<string, string>) {
  let server: ChildProcess | undefined;
  const dbDir = mkdtempSync(join(tmpdir(), 'patron-own-'));
  // `extra` adds to `env` for this start only (e.g. PATRON_NOW to restart
  // the same database later in time).
  const startWith = async (extra: Record<string, string>) => {
    server = spawn('bash', ['scripts/e2e-server.sh', String(port), dbDir], {
      cwd: join(__dirname, '..', '..'),
      stdio: 'ignore',
      env: { ...process.env, ...env, ...extra },
    });
    for (let i = 0; i < 600; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
        if (r.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  };
  const stop = async () => {
    if (!server) return;
    const s = server;
    server = undefined;
    const exited = new Promise((r) => s.once('exit', r));
    s.kill('SIGTERM');
    await exited;
  };
  // No parameters: Playwright reads a hook's first parameter as fixtures.
  const start = () => startWith({});
  return { base: `http://127.0.0.1:${port}`, start, startWith, stop };
}

/// A real SMTP server (aiosmtpd: tests/smtp_sink.py, installed by
/// `scripts/setup.sh --with-smtp`) on a free port; `messages()` reads what
/// it accepted, oldest first.
export async function smtpSink() {
  const root = join(__dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'patron-smtp-'));
  const child = spawn(join(root, '.venv-tools', 'bin', 'python'), [join(root, 'tests', 'smtp_sink.py'), dir],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const port: number = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`SMTP sink exited (${code}); run scripts/setup.sh --with-smtp`)));
  });
  const messages = () => readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  const stop = () => { child.stdin!.end(); child.kill(); };
  return { url: `smtp://127.0.0.1:${port}`, messages, stop };
}
