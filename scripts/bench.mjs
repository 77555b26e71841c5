// `make bench`: bundle sizes (raw, gzip, brotli) of the wasm and JS in dist/,
// and time to first paint of the sign-in page and of the member dashboard
// with data, in headless Chromium, median of 5, unthrottled and at 4x CPU
// throttle. Starts its own server on a temporary database.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const RUNS = 5;
const PORT = 8096;
const BASE = `http://127.0.0.1:${PORT}`;

function kb(n) { return `${(n / 1024).toFixed(1)} KiB`; }

console.log('== Bundle sizes (dist/)');
let total = { raw: 0, gz: 0, br: 0 };
for (const f of readdirSync(dist).filter((f) => /\.(wasm|js)$/.test(f)).sort()) {
  const data = readFileSync(join(dist, f));
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total.raw += data.length; total.gz += gz; total.br += br;
  console.log(`${f.padEnd(40)} raw ${kb(data.length).padStart(10)}  gzip ${kb(gz).padStart(10)}  brotli ${kb(br).padStart(10)}`);
}
console.log(`${'total wasm+js'.padEnd(40)} raw ${kb(total.raw).padStart(10)}  gzip ${kb(total.gz).padStart(10)}  brotli ${kb(total.br).padStart(10)}`);

const bin = ['target/server/patron-server', 'target/debug/patron-server'].map((b) => join(root, b)).find(existsSync);
const db = mkdtempSync(join(tmpdir(), 'patron-bench-'));
const server = spawn(bin, ['--bind', `127.0.0.1:${PORT}`, '--database-url', `sqlite://${db}/bench.db`, '--static-dir', dist, '--members', '5000'], { stdio: 'ignore' });
try {
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${BASE}/api/v1/health`)).ok) break; } catch {}
    if (i > 600) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });

  async function measure(kind, throttle) {
    const ctx = await browser.newContext({ locale: 'en-GB' });
    if (kind === 'dashboard') {
      const r = await ctx.request.post(`${BASE}/api/v1/auth/login`, { data: { email: 'member@patron.test', password: 'patron-member' } });
      if (!r.ok()) throw new Error('login failed');
    }
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const url = kind === 'dashboard' ? `${BASE}/dashboard` : `${BASE}/sign-in`;
    const selector = kind === 'dashboard' ? '[data-testid=available-points]' : '#sign-in-heading';
    await page.goto(url);
    await page.waitForSelector(selector);
    // Time from navigation start to the content being on screen.
    const t = await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => res(performance.now()))));
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    await ctx.close();
    return { t, fcp };
  }

  const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { min: s[0], med: s[Math.floor(s.length / 2)], max: s[s.length - 1] }; };
  console.log(`\n== Time to first paint with content, headless Chromium, ${RUNS} runs (ms: min / median / max)`);
  for (const throttle of [1, 4]) {
    for (const kind of ['sign-in', 'dashboard']) {
      await measure(kind, throttle); // warm the server, not the browser cache (each run is a new context)
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(kind, throttle));
      const a = stats(runs.map((r) => r.t));
      const f = stats(runs.map((r) => r.fcp));
      console.log(`${kind.padEnd(10)} cpu x${throttle}: content ${a.min.toFixed(0)} / ${a.med.toFixed(0)} / ${a.max.toFixed(0)}   first-contentful-paint ${f.min.toFixed(0)} / ${f.med.toFixed(0)} / ${f.max.toFixed(0)}`);
    }
  }
  await browser.close();
} finally {
  server.kill('SIGTERM');
}
