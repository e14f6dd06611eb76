import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import type { IntentRecord, OutcomeRecord } from '../src/audit/records.js';
import { chainedText, chainHash, GENESIS_HASH } from '../src/audit/store/chain.js';
import { PostgresAuditStore } from '../src/audit/store/postgres/store.js';
import { postgresUnavailableReason, startPostgresServer } from '../test/support/postgres-server.js';
import { type BenchRow, formatTable, percentile } from './table.js';

/**
 * The PostgreSQL audit store on a local server with fsync on (a commit is a real flush):
 * - a durable intent append, the cost every card update pays before NetEase is called;
 * - one account's history among 1 M chained records (the first page of /im-audit);
 * - walking the whole 1 M-record chain (`npm run audit -- verify`).
 */
const APPENDS = 1000;
const RECORDS = 1_000_000;
const ACCOUNTS = 50_000;
const QUERIES = 200;
const APPEND_NAME = `durable intent append, PostgreSQL (${APPENDS} in a row)`;
const HISTORY_NAME = `history of one account among 1 M records, PostgreSQL (${QUERIES} queries)`;

export async function benchAuditPostgres(): Promise<BenchRow[]> {
  const missing = postgresUnavailableReason();
  if (missing) {
    return [APPEND_NAME, HISTORY_NAME].map((name) => ({ name, value: `skipped: ${missing}`, target: '', pass: true }));
  }
  const server = await startPostgresServer({ durable: true });
  const logger = pino({ level: 'silent' });
  try {
    const url = await server.createDatabase();
    const store = new PostgresAuditStore({ url, logger });
    await store.open();
    const appendMs: number[] = [];
    for (let n = 0; n < APPENDS; n++) {
      const started = performance.now();
      await store.appendIntent(intent(`append-${n}`, `acct-${n % 100}`, n), { owner: 'bench', leaseUntil: Date.now() });
      appendMs.push(performance.now() - started);
    }
    await store.close();

    const bigUrl = await server.createDatabase();
    const big = new PostgresAuditStore({ url: bigUrl, logger });
    await big.open();
    const loadStarted = performance.now();
    await bulkLoad(bigUrl);
    const loadS = (performance.now() - loadStarted) / 1000;
    const historyMs: number[] = [];
    for (let n = 0; n < QUERIES; n++) {
      const account = `acct-${(n * 7919) % ACCOUNTS}`;
      const started = performance.now();
      const page = await big.history({ accid: account, limit: 10 });
      historyMs.push(performance.now() - started);
      if (page.items.length !== 10) throw new Error(`expected a full page for ${account}, got ${page.items.length}`);
    }
    const verifyStarted = performance.now();
    const verification = await big.verify();
    const verifyS = (performance.now() - verifyStarted) / 1000;
    await big.close();

    const [p50, p99] = [percentile(appendMs, 50), percentile(appendMs, 99)];
    const [h50, h99] = [percentile(historyMs, 50), percentile(historyMs, 99)];
    return [
      { name: APPEND_NAME, value: `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`, target: 'p99 ≤ 50 ms', pass: p99 <= 50 },
      {
        name: HISTORY_NAME,
        value: `p50 ${h50.toFixed(2)} ms, p99 ${h99.toFixed(2)} ms (1 M loaded in ${loadS.toFixed(0)} s)`,
        target: 'p99 ≤ 50 ms',
        pass: h99 <= 50,
      },
      {
        name: 'verify the chain of 1 M records, PostgreSQL',
        value: `${verifyS.toFixed(1)} s, ${verification.ok ? 'intact' : 'BROKEN'}`,
        target: 'intact, ≤ 60 s',
        pass: verification.ok && verifyS <= 60,
      },
    ];
  } finally {
    await server.stop();
  }
}

function intent(id: string, accid: string, n: number): IntentRecord {
  return {
    kind: 'intent',
    id,
    at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
    actor: `U0ADMIN${n % 20}`,
    action: 'update_user_card',
    command: '/im update',
    target: { accid },
    changes: { name: { before: `Name ${n}`, after: `Name ${n + 1}` }, sign: { after: 'hello' } },
  };
}

/**
 * 1 M chained records (an intent and its outcome for 500 k updates over 50 k accounts), hashed here by the contract's
 * rule and inserted in batches: what the store would hold after years of use, in seconds rather than hours.
 */
async function bulkLoad(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let prev = GENESIS_HASH;
    let lastId = '';
    const batch = 10_000;
    for (let start = 0; start < RECORDS; start += batch) {
      const columns = {
        seq: [] as number[],
        id: [] as string[],
        kind: [] as string[],
        at: [] as number[],
        accid: [] as (string | null)[],
        actor: [] as (string | null)[],
        body: [] as string[],
      };
      for (let seq = start + 1; seq <= start + batch; seq++) {
        const n = Math.floor((seq - 1) / 2);
        const record: IntentRecord | OutcomeRecord =
          seq % 2 === 1
            ? intent(`u-${n}`, `acct-${n % ACCOUNTS}`, n)
            : { kind: 'outcome', id: `u-${n}`, at: new Date(Date.UTC(2026, 0, 1) + n * 1000 + 500).toISOString(), status: 'applied' };
        const body = chainedText(record, prev);
        prev = chainHash(body);
        lastId = record.id;
        columns.seq.push(seq);
        columns.id.push(record.id);
        columns.kind.push(record.kind);
        columns.at.push(Date.parse(record.at));
        columns.accid.push(record.kind === 'intent' ? record.target.accid : null);
        columns.actor.push(record.kind === 'intent' ? record.actor : null);
        columns.body.push(body);
      }
      await client.query(
        `INSERT INTO audit_records (seq, id, kind, at_ms, accid, actor, body)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[])`,
        [columns.seq, columns.id, columns.kind, columns.at, columns.accid, columns.actor, columns.body],
      );
    }
    await client.query(
      `INSERT INTO audit_delivery (id, ready_seq, posted_at, posted_channel, posted_ts)
       SELECT id, seq, at_ms, 'C0AUDIT', (at_ms / 1000)::text || '.000100' FROM audit_records WHERE kind = 'intent'`,
    );
    await client.query('UPDATE audit_chain_head SET count = $1, hash = $2, id = $3', [RECORDS, prev, lastId]);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatTable(await benchAuditPostgres()));
}
