// `make bench`, PostgreSQL part (issue 17): two server processes on one
// PostgreSQL database, as two replicas behind a load balancer. Prints
//  1. contention: 64 concurrent redemptions of a 1,000-point voucher
//     against one member holding 10 vouchers' worth, spread over both
//     replicas, 200 rounds: successes per round (must be exactly 10),
//     overdraws, 5xx answers, and spend entries in the ledger against
//     the successes counted (lost or doubled entries);
//  2. throughput: 64 members redeeming at once for 10 s, each with their
//     own client, spread over both replicas: redemptions per second.
// Run under scripts/with-postgres.sh (PATRON_TEST_POSTGRES names the
// cluster); uses the optimised server build when there is one.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pg = process.env.PATRON_TEST_POSTGRES;
if (!pg) {
  console.error('bench-replicas: run me under scripts/with-postgres.sh');
  process.exit(2);
}
const bin = ['target/server/patron-server', 'target/debug/patron-server'].map((b) => join(root, b)).find(existsSync);
const PORTS = [8097, 8098];
const bases = PORTS.map((p) => `http://127.0.0.1:${p}`);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const CONCURRENT = 64;
const AFFORD = 10; // vouchers the member can pay for per round
const VOUCHER = 1; // seeded reward: 1,000 points, unlimited stock, no limit
const THROUGHPUT_MEMBERS = 64;
const THROUGHPUT_SECS = 10;

const psql = (sql) => execFileSync('/usr/lib/postgresql/15/bin/psql', [pg, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql]).toString().trim();

function startServer(port) {
  const p = spawn(bin, ['--bind', `127.0.0.1:${port}`, '--database-url', pg, '--members', '2000', '--feedback', '0', '--insecure-cookies'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  return p;
}

async function waitHealthy(base) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} did not start`);
}

async function signIn(base, email, password) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${email}: ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

let keySeq = 0;
const key = (what) => `bench-${what}-${process.pid}-${++keySeq}`;

async function post(base, cookie, path, body) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'idempotency-key': key('k') },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function topUp(admin, memberId, points) {
  const s = await post(bases[0], admin, `/api/v1/admin/members/${memberId}/adjustments`, { points, reason: 'Replica benchmark top-up' });
  if (s !== 201) throw new Error(`top-up: ${s}`);
}

async function balance(base, cookie) {
  const res = await fetch(`${base}/api/v1/me/summary`, { headers: { cookie } });
  return (await res.json()).balance;
}

// Two replicas start together on the empty database: one seeds.
const servers = PORTS.map(startServer);
const stop = () => servers.forEach((s) => s.kill('SIGTERM'));
process.on('exit', stop);
try {
  await Promise.all(bases.map(waitHealthy));
  // Bench members sign in with the demo member's password (its hash copied).
  psql(`INSERT INTO users (email, name, role, password_hash, member_id, active, created_at)
        SELECT 'bench' || m.id || '@patron.test', m.name, 'member',
               (SELECT password_hash FROM users WHERE email = 'member@patron.test'), m.id, TRUE, 0
        FROM members m WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id)
        ORDER BY m.id LIMIT ${THROUGHPUT_MEMBERS + 1}`);
  const members = psql(`SELECT member_id FROM users WHERE email LIKE 'bench%' ORDER BY member_id`).split('\n').map(Number);
  const admin = await signIn(bases[0], 'admin@patron.test', 'patron-admin');

  // 1. Contention on one member.
  const target = members[0];
  const cookie = await signIn(bases[1], `bench${target}@patron.test`, 'patron-member');
  const start = await balance(bases[0], cookie);
  if (start.available > 0) await post(bases[0], admin, `/api/v1/admin/members/${target}/adjustments`, { points: -start.available, reason: 'Replica benchmark reset' });
  const spendsBefore = Number(psql(`SELECT COUNT(*) FROM ledger_entries WHERE member_id = ${target} AND kind = 'spend'`));
  let ok = 0; let wrongRounds = 0; let leftovers = 0; let overdraws = 0; let fivexx = 0; let other = 0; let requests = 0;
  const t0 = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await topUp(admin, target, AFFORD * 1000);
    const statuses = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) =>
      post(bases[i % 2], cookie, '/api/v1/redemptions', { reward_id: VOUCHER })));
    requests += statuses.length;
    const won = statuses.filter((s) => s === 201).length;
    ok += won;
    fivexx += statuses.filter((s) => s >= 500).length;
    other += statuses.filter((s) => s !== 201 && s !== 409 && s < 500).length;
    if (won !== AFFORD) wrongRounds++;
    const b = await balance(bases[round % 2], cookie);
    if (b.available < 0 || b.balance < 0) overdraws++;
    if (b.available !== 0) leftovers++;
  }
  const secs = (performance.now() - t0) / 1000;
  const spends = Number(psql(`SELECT COUNT(*) FROM ledger_entries WHERE member_id = ${target} AND kind = 'spend'`)) - spendsBefore;
  console.log('== Two replicas on one PostgreSQL: 64 concurrent redemptions against one member');
  console.log(`rounds ${ROUNDS}, requests ${requests} in ${secs.toFixed(1)} s (${(requests / secs).toFixed(0)} requests/s)`);
  console.log(`successes ${ok} (expected ${ROUNDS * AFFORD}), rounds not exactly ${AFFORD} ${wrongRounds}, rounds with points left ${leftovers}, overdraws ${overdraws}, 5xx ${fivexx}, other answers ${other}`);
  console.log(`spend entries ${spends} for ${ok} successes: lost ${Math.max(0, ok - spends)}, doubled ${Math.max(0, spends - ok)}`);

  // 2. Throughput over many members.
  const runners = members.slice(1, 1 + THROUGHPUT_MEMBERS);
  // One after another: concurrent sign-ins from one address would meet its
  // throttle (attempts count before the password is checked).
  const cookies = [];
  for (const [i, m] of runners.entries()) cookies.push(await signIn(bases[i % 2], `bench${m}@patron.test`, 'patron-member'));
  await Promise.all(runners.map((m) => topUp(admin, m, 1_000_000)));
  let done = 0; let failed = 0;
  const until = performance.now() + THROUGHPUT_SECS * 1000;
  const t1 = performance.now();
  await Promise.all(cookies.map(async (c, i) => {
    while (performance.now() < until) {
      const s = await post(bases[i % 2], c, '/api/v1/redemptions', { reward_id: VOUCHER });
      if (s === 201) done++; else failed++;
    }
  }));
  const tsecs = (performance.now() - t1) / 1000;
  console.log(`== Two replicas: ${THROUGHPUT_MEMBERS} members redeeming at once for ${THROUGHPUT_SECS} s`);
  console.log(`redemptions ${done} in ${tsecs.toFixed(1)} s: ${(done / tsecs).toFixed(0)} redemptions/s, refused or failed ${failed}`);
  const negative = Number(psql(`SELECT COUNT(*) FROM (SELECT member_id FROM ledger_entries GROUP BY member_id HAVING SUM(points) < 0) x`));
  console.log(`members with a negative ledger sum: ${negative}`);
} finally {
  stop();
}
