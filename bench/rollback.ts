import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { AuditOutbox, type AuditTrail } from '../src/audit/index.js';
import { createAuditStore } from '../src/audit/store/create-store.js';
import { startEmulator } from '../src/emulator/server.js';
import { NimClient } from '../src/nim/client.js';
import { RollbackService } from '../src/undo/rollback-service.js';
import { type BenchRow, formatTable } from './table.js';

/**
 * Rolling a person back: 200 card edits by one person over 50 accounts (4 each), undone through the real NetEase
 * client against the emulator at NetEase's limit (100 calls per rolling second per endpoint), with the client's
 * default budget of 90/s. Timed from the preview (the person's history read, each account read) to the last undo.
 *
 * Floor: 50 reads for the preview, 50 reads again when the run starts on each account, 200 writes = 300 calls; the
 * budget releases one call every 1000/90 ms, so they cannot take less than 300 ÷ 90 s. Target: within 1.5 × the
 * floor, every change undone, no 416. Run as the app runs it (RollbackService): the record saved as each change settles,
 * one channel message, the changes in thread replies of 50.
 */
const RATE = 90;
const ACCOUNTS = 50;
const PER_ACCOUNT = 4;
const ROGUE = 'U0ROGUE';
const silent = pino({ level: 'silent' });

export async function benchRollback(): Promise<BenchRow[]> {
  const app = { appKey: 'bench-rb-key', appSecret: 'bench-rb-secret' };
  const accids = Array.from({ length: ACCOUNTS }, (_, i) => `acct${String(i).padStart(3, '0')}`);
  const emulator = await startEmulator({
    apps: [app],
    seed: { users: accids.map((accid) => ({ accid, name: `${accid}-v${PER_ACCOUNT}` })), qchatServers: [] },
    rateLimit: 100,
    rateWindowMs: 1000,
    blockMs: 10_000,
  });
  const dir = await mkdtemp(join(tmpdir(), 'im-admin-bench-rb-'));
  const nim = new NimClient({ ...app, baseUrl: emulator.url, rateLimit: RATE });
  const store = createAuditStore({ dbPath: join(dir, 'audit.db') }, silent);
  await store.open();
  const outbox = new AuditOutbox({
    store,
    owner: 'bench',
    verify: () => Promise.resolve('unknown' as const),
    now: Date.now,
    logger: silent,
  });
  const trail: AuditTrail = { store, outbox, owner: 'bench', now: Date.now, logger: silent };
  try {
    // The rogue's history as the audit trail holds it: name v0 → v1 → … → v4 on every account, the last one in place.
    const start = Date.now() - 60 * 60_000;
    let n = 0;
    for (let step = 1; step <= PER_ACCOUNT; step++) {
      for (const accid of accids) {
        const id = `rogue-${++n}`;
        const at = new Date(start + n * 1000).toISOString();
        const change = { before: `${accid}-v${step - 1}`, after: `${accid}-v${step}` };
        await store.appendIntent(
          {
            kind: 'intent',
            id,
            at,
            actor: ROGUE,
            action: 'update_user_card',
            command: 'edit card modal',
            target: { accid },
            changes: { name: change },
          },
          { owner: 'bench', leaseUntil: Date.now() + 60_000 },
        );
        await store.appendOutcome({ kind: 'outcome', id, at, status: 'applied' });
      }
    }
    const callsBefore = emulator.count();
    const started = performance.now();
    // Through the durable run the app uses: its record saved as each change settles, its channel message kept up.
    const channel = { posts: 0, updates: 0, replies: 0 };
    const rollbacks = new RollbackService({
      trail,
      nim,
      reader: nim,
      channel: {
        post: () => Promise.resolve((channel.posts++, { channel: 'C0AUDIT', ts: '1.1' })),
        update: () => Promise.resolve(void channel.updates++),
        reply: () => Promise.resolve(void channel.replies++),
      },
    });
    const { results } = await rollbacks.run({
      id: 'bench-rb',
      lead: 'U0LEAD',
      subject: ROGUE,
      since: start,
      until: Date.now(),
      origin: { user: 'U0LEAD' },
    });
    const elapsedMs = performance.now() - started;
    const calls = emulator.count() - callsBefore;
    const limited = emulator.count({ code: 416 });
    const undone = results.filter((result) => result.status === 'undone').length;
    const restored = accids.filter((accid) => emulator.getUser(accid)?.name === `${accid}-v0`).length;
    const floorMs = (calls / RATE) * 1000;
    return [
      {
        name: `rollback of ${ACCOUNTS * PER_ACCOUNT} changes over ${ACCOUNTS} accounts (${calls} calls)`,
        value: `${Math.round(elapsedMs)} ms (floor ${Math.round(floorMs)} ms)`,
        target: `≤ 1.5 × floor, all undone`,
        pass: elapsedMs <= 1.5 * floorMs && undone === ACCOUNTS * PER_ACCOUNT && restored === ACCOUNTS,
      },
      {
        name: 'changes undone / accounts back to their first value',
        value: `${undone} / ${restored}`,
        target: `${ACCOUNTS * PER_ACCOUNT} / ${ACCOUNTS}`,
        pass: undone === ACCOUNTS * PER_ACCOUNT && restored === ACCOUNTS,
      },
      { name: '416 answers during the rollback', value: String(limited), target: '0', pass: limited === 0 },
      {
        name: 'audit channel: top-level messages / thread replies',
        value: `${channel.posts} / ${channel.replies}`,
        target: `1 / ${Math.ceil((ACCOUNTS * PER_ACCOUNT) / 50)}`,
        pass: channel.posts === 1 && channel.replies === Math.ceil((ACCOUNTS * PER_ACCOUNT) / 50),
      },
    ];
  } finally {
    await outbox.close();
    await store.close();
    await nim.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const rows = await benchRollback();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
