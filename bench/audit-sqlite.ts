import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteAuditStore } from '../src/audit/store/sqlite/store.js';
import { startEmulator } from '../src/emulator/server.js';
import { sanctionsOf } from '../src/moderation/sanction-info.js';
import type { UserCard } from '../src/nim/types.js';
import { startSlackApi, type SlackApi } from '../src/simulator/slack-api.js';
import { ACCOUNTS, SANCTIONED } from './audit/generate-sqlite.js';
import { jsonlFixture, sqliteFixture } from './audit/fixtures.js';
import { command, residentMb, startApp, type App } from './operability.js';
import { type BenchRow, formatTable, percentile } from './table.js';

/**
 * The SQLite audit store (issue 18), on the store and on the app as production runs it (`node dist/main.js`, time to
 * /readyz): a durable intent append; one account's history and the store's part of /im-mute-status among 1 M chained
 * records; `verify` of them; the app's start and resident set on that store against an empty one; and the upgrade:
 * the app starting beside a 1 M-line JSON Lines trail it imports in the background, with commands answered meanwhile.
 * BENCH_10M=1 adds the app on 10 M records (its fixture takes several minutes to generate the first time; fixtures
 * are cached, bench/audit/fixtures.ts). BENCH_ONLY=store|app|import runs one part.
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const quiet = { warn: () => undefined, error: () => undefined };
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const only = process.env.BENCH_ONLY;

export async function benchAuditSqlite(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'im-admin-bench-sqlite-'));
  try {
    return [
      ...(!only || only === 'store' ? await storeRows(dir) : []),
      ...(!only || only === 'app' ? await appRows(dir) : []),
      ...(!only || only === 'import' ? await importRows(dir) : []),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function storeRows(dir: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const fresh = new SqliteAuditStore({ path: join(dir, 'append', 'audit.db'), logger: quiet });
  await fresh.open();
  const appends: number[] = [];
  for (let n = 0; n < 500; n++) {
    const started = performance.now();
    await fresh.appendIntent(
      {
        kind: 'intent',
        id: `b${n}`,
        at: new Date().toISOString(),
        actor: 'U0BENCH',
        action: 'update_user_card',
        command: 'edit card modal',
        target: { accid: `user${n}` },
        changes: { name: { before: 'A', after: 'B' } },
      },
      { owner: 'bench', leaseUntil: Date.now() + 30_000 },
    );
    appends.push(performance.now() - started);
  }
  await fresh.close();
  const appendP99 = percentile(appends, 99);
  rows.push({
    name: 'audit sqlite: durable intent append (committed, fsync), p50 / p99',
    value: `${ms(percentile(appends, 50))} / ${ms(appendP99)}`,
    target: 'p99 ≤ 5 ms',
    pass: appendP99 <= 5,
  });

  const store = new SqliteAuditStore({ path: await sqliteFixture(1_000_000, join(dir, 'million')), logger: quiet });
  await store.open();
  try {
    // A first pass over other accounts warms the page cache, as a running app's would be.
    for (let n = 0; n < 200; n++) await store.history({ accid: `user${(n * 104_729) % ACCOUNTS}`, limit: 10 });
    const history: number[] = [];
    for (let n = 0; n < 1000; n++) {
      const started = performance.now();
      await store.history({ accid: `user${(n * 7919) % ACCOUNTS}`, limit: 10 });
      history.push(performance.now() - started);
    }
    const historyP99 = percentile(history, 99);
    rows.push({
      name: 'audit sqlite: history of one account among 1 M records (10 newest), p99',
      value: ms(historyP99),
      target: '≤ 5 ms',
      pass: historyP99 <= 5,
    });

    // /im-mute-status of 50 accounts all muted through the app, early in the history: what the store is asked.
    const cards: UserCard[] = Array.from({ length: SANCTIONED }, (_, n) => ({ accid: `mute${n}`, mute: true, valid: true }));
    const rounds: number[] = [];
    let explained = 0;
    for (let n = 0; n < 20; n++) {
      const started = performance.now();
      const sanctions = await sanctionsOf(store, cards);
      rounds.push(performance.now() - started);
      explained = [...sanctions.values()].filter((info) => info.mute?.madeHere).length;
    }
    const worst = Math.max(...rounds);
    rows.push({
      name: `audit sqlite: /im-mute-status of ${SANCTIONED} sanctioned accounts among 1 M, the store's part (worst of 20)`,
      value: `${ms(worst)} (${explained} explained)`,
      target: '≤ 50 ms',
      pass: worst <= 50 && explained === SANCTIONED,
    });

    const started = performance.now();
    const verification = await store.verify();
    const verifyMs = performance.now() - started;
    rows.push({
      name: 'audit sqlite: verify of 1 M chained records',
      value: `${ms(verifyMs)} (${verification.ok ? 'intact' : 'BROKEN'})`,
      target: '≤ 10 s',
      pass: verifyMs <= 10_000 && verification.ok,
    });
  } finally {
    await store.close();
  }
  return rows;
}

/** Starts the compiled app on a store, measures /readyz and the resident set, and stops it. */
async function appOn(dataDir: string, env: Record<string, string> = {}, during?: (app: App, slack: SlackApi) => Promise<void>) {
  const emulator = await startEmulator({ rateLimit: 100 });
  const slack = await startSlackApi({ people: [{ id: 'U0BENCH', name: 'Bench', role: 'member' }] });
  let app: App | undefined;
  try {
    app = await startApp(emulator, slack, dataDir, env);
    await command(app, slack, '/im-user', 'user1');
    const rssMb = await residentMb(app.child);
    if (during) await during(app, slack);
    return { readyMs: app.readyMs, rssMb };
  } finally {
    const child = app?.child;
    if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve).kill());
    await Promise.all([emulator.close(), slack.close()]);
  }
}

function build(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

async function appRows(dir: string): Promise<BenchRow[]> {
  build();
  const empty = await appOn(join(dir, 'empty'));
  const sizes = process.env.BENCH_10M === '1' ? [1_000_000, 10_000_000] : [1_000_000];
  const rows: BenchRow[] = [
    { name: 'app (node dist/main.js) on an empty SQLite store: ready /readyz', value: ms(empty.readyMs), target: 'baseline', pass: true },
  ];
  for (const size of sizes) {
    const label = size === 1_000_000 ? '1 M' : '10 M';
    const dataDir = join(dir, `app-${size}`);
    await sqliteFixture(size, dataDir);
    const run = await appOn(dataDir);
    await rm(dataDir, { recursive: true, force: true });
    rows.push({
      name: `app on a store of ${label} records: ready /readyz (empty: ${ms(empty.readyMs)}), resident set`,
      value: `${ms(run.readyMs)} (+${ms(Math.max(0, run.readyMs - empty.readyMs))}), ${run.rssMb.toFixed(0)} MB`,
      target: '≤ empty + 1 s, < 150 MB',
      pass: run.readyMs <= empty.readyMs + 1000 && run.rssMb < 150,
    });
  }
  return rows;
}

async function importRows(dir: string): Promise<BenchRow[]> {
  build();
  const trail = await jsonlFixture(1_000_000);
  const empty = await appOn(join(dir, 'import-empty'));
  const dataDir = join(dir, 'import');
  const acks: number[] = [];
  let importMs = Number.NaN;
  let imported = 0;
  const started = performance.now();
  const run = await appOn(dataDir, { AUDIT_LOG: trail }, async (app, slack) => {
    const db = () => new Database(join(dataDir, 'audit.db'), { readonly: true, timeout: 5000 });
    const state = () => {
      const handle = db();
      try {
        return handle.prepare('SELECT imported, lines, finished_at FROM audit_import').get() as
          { imported: number; lines: number; finished_at: string | null } | undefined;
      } finally {
        handle.close();
      }
    };
    for (let n = 0; ; n++) {
      const now = state();
      if (now?.finished_at) {
        importMs = performance.now() - started;
        imported = now.lines;
        break;
      }
      if (performance.now() - started > 120_000) throw new Error('the import did not finish within 2 minutes');
      acks.push((await command(app, slack, '/im-user', `user${n % 1000} lina`)).ackMs);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  const ackP99 = percentile(acks, 99);
  const rate = imported / (importMs / 1000);
  return [
    {
      name: `app beside a 1 M-line JSON Lines trail, importing it: ready /readyz (empty: ${ms(empty.readyMs)})`,
      value: `${ms(run.readyMs)} (+${ms(Math.max(0, run.readyMs - empty.readyMs))})`,
      target: '≤ empty + 1.5 s',
      pass: run.readyMs <= empty.readyMs + 1500,
    },
    {
      name: '  the import, from the app start to done',
      value: `${(importMs / 1000).toFixed(1)} s, ${Math.round(rate / 1000)} k lines/s`,
      target: '≥ 50 k records/s',
      pass: rate >= 50_000,
    },
    {
      name: `  acks of /im-user meanwhile (${acks.length} commands), p99`,
      value: ms(ackP99),
      target: '< 1 s',
      pass: acks.length > 0 && ackP99 < 1000,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchAuditSqlite();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
