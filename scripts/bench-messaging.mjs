// `make bench`, messaging (issue 18): one message to every member of a
// 100,000-member programme (BENCH_MESSAGES to change it) — a holiday
// greeting all of them agreed to — queued by the automation in one
// statement, then rendered in each member's language and delivered to a
// real SMTP server on this machine (aiosmtpd, tests/smtp_sink.py) by
// `patron-server deliver`. Goals: queued (and rendered) ≤ 60 s, delivered
// ≥ 200 messages/s. Quiet hours are switched off for the run (they would
// hold most of the messages until morning) and the pace is unlimited.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const N = Number(process.env.BENCH_MESSAGES ?? 100000);
const PORT = 8097;
const bin = ['target/server/patron-server', 'target/debug/patron-server'].map((b) => join(root, b)).find(existsSync);
const dir = mkdtempSync(join(tmpdir(), 'patron-bench-mail-'));
const db = join(dir, 'bench.db');

console.log(`\n== Messaging: one message to ${N.toLocaleString('en')} members`);
let t0 = Date.now();
const server = spawn(bin, ['--bind', `127.0.0.1:${PORT}`, '--database-url', `sqlite://${db}`,
  '--members', String(N), '--feedback', '0', '--insecure-cookies'], { stdio: 'ignore' });
for (let i = 0; ; i++) {
  try { if ((await fetch(`http://127.0.0.1:${PORT}/api/v1/health`)).ok) break; } catch {}
  if (i > 30000) { server.kill(); throw new Error('server did not start'); }
  await new Promise((r) => setTimeout(r, 100));
}
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
console.log(`seeded ${N.toLocaleString('en')} members in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// Everyone agreed to news; a one-off holiday today (programme time zone);
// no quiet hours and a generous cap for the run.
execFileSync('python3', ['-c', `
import sqlite3, sys, datetime, zoneinfo
c = sqlite3.connect(sys.argv[1])
tz = c.execute("SELECT time_zone FROM programme").fetchone()[0]
today = datetime.datetime.now(zoneinfo.ZoneInfo(tz)).date().isoformat()
now = int(datetime.datetime.now().timestamp())
c.execute("INSERT INTO consents (member_id, channel, granted, at, source) SELECT id, 'news', 1, ?, 'seed' FROM members", (now,))
c.execute("INSERT INTO holidays (name_en, name_zh, kind, on_date, enabled, created_at) VALUES ('Bench Day', '测试日', 'date', ?, 1, ?)", (today, now))
c.execute("UPDATE messaging_settings SET quiet_start = 0, quiet_end = 0, frequency_cap = 50")
for a in ('birthday', 'win_back', 'points_expiring'):
    c.execute("INSERT INTO automations (key, enabled, delay_hours, updated_at) VALUES (?, 0, 0, ?)", (a, now))
c.commit()
`, db]);

const sinkDir = mkdtempSync(join(tmpdir(), 'patron-bench-smtp-'));
const sink = spawn(join(root, '.venv-tools', 'bin', 'python'), [join(root, 'tests', 'smtp_sink.py'), sinkDir], { stdio: ['pipe', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let out = '';
  sink.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(Number(out.trim())); });
  sink.once('exit', (c) => reject(new Error(`SMTP sink exited ${c}; run scripts/setup.sh --with-smtp`)));
});
t0 = Date.now();
const out = execFileSync(bin, ['--database-url', `sqlite://${db}`, '--smtp-url', `smtp://127.0.0.1:${port}`,
  '--mail-rate', '10000000', 'deliver'], { encoding: 'utf8', maxBuffer: 1 << 24 });
const wall = (Date.now() - t0) / 1000;
sink.stdin.end();
sink.kill();
console.log(`patron-server deliver: ${out.trim()}`);
const received = readdirSync(sinkDir).filter((f) => f.endsWith('.json')).length;
const m = out.match(/in ([\d.]+) s; delivered (\d+) sent \+ \d+ captured in ([\d.]+) s \((\d+)\/s\)/);
if (m) {
  console.log(`queued: ${Number(m[1]).toFixed(2)} s (goal ≤ 60 s)`);
  console.log(`rendered and delivered: ${m[2]} in ${m[3]} s = ${m[4]} messages/s (goal ≥ 200/s); the SMTP server received ${received}`);
}
console.log(`wall time ${wall.toFixed(1)} s`);
