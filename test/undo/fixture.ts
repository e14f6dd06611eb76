import { auditedWrite, cardChanges, serverMemberChanges, type AuditTrail } from '../../src/audit/index.js';
import type { AuditEntry } from '../../src/audit/records.js';
import type { HistoryItem } from '../../src/audit/store/contract.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { EmulatorSeed } from '../../src/emulator/types.js';
import { carryOut } from '../../src/moderation/execute.js';
import type { Sanction } from '../../src/moderation/sanction.js';
import { NimClient } from '../../src/nim/client.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';
import type { UserCardChanges } from '../../src/nim/types.js';
import type { UndoRun } from '../../src/undo/apply.js';
import { tempDir } from '../audit/helpers.js';
import { auditRecords, openTestTrail } from '../audit/trail.js';

const APP = { appKey: 'k', appSecret: 's' };
export const NOW = Date.UTC(2026, 11, 1, 14, 0);
const member = (accid: string, nick: string) => ({
  accid,
  nick,
  type: 0 as const,
  joinTime: 1,
  validFlag: 1 as const,
  createTime: 1,
  updateTime: 1,
});
const seed: EmulatorSeed = {
  users: [{ accid: 'alice', name: 'Alice', gender: 2 }, { accid: 'bob', name: 'Bob' }, { accid: 'carol' }, { accid: 'dave', name: 'Dave' }],
  qchatServers: [{ serverId: '9001', members: [member('alice', 'ali')] }],
};

/** The emulator over HTTP, a NetEase client, an audit trail on a file store, and a clock tests move. */
export async function undoFixture(cleanups: (() => Promise<void>)[]) {
  const emulator = await startEmulator({ apps: [APP], seed });
  const nim = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: rapidRetryPolicy, timeoutMs: 500 });
  const { dir, remove } = await tempDir();
  const clock = { now: NOW };
  /** What the outbox posted to the audit channel, in order. */
  const posted: AuditEntry[] = [];
  const audit = await openTestTrail(dir, {
    now: () => clock.now,
    post: (entry) => {
      posted.push(entry);
      return Promise.resolve(undefined);
    },
  });
  const trail: AuditTrail = audit.trail;
  cleanups.push(
    remove,
    () => audit.close(),
    () => nim.close(),
    () => emulator.close(),
  );
  let ids = 0;
  const run = (actor = 'U0MOD', extra: Partial<UndoRun> = {}): UndoRun => ({
    trail,
    nim,
    actor,
    command: 'undo button',
    id: `undo-${++ids}`,
    now: () => clock.now,
    schedule: audit.store,
    ...extra,
  });

  async function editCard(actor: string, accid: string, changes: UserCardChanges, id: string) {
    const before = (await nim.getUinfos([accid])).found[0];
    await auditedWrite(
      trail,
      { id, actor, action: 'update_user_card', command: 'edit card modal', target: { accid }, changes: cardChanges(before, changes) },
      ({ correlationId }) => nim.updateUinfo(accid, changes, { correlationId }),
    );
  }
  async function editNick(actor: string, accid: string, nick: string, id: string) {
    const read = await nim.getServerMember({ serverId: '9001', accid });
    const before = read.kind === 'member' ? read.member : undefined;
    const update = { serverId: '9001', accid, nick };
    await auditedWrite(
      trail,
      {
        id,
        actor,
        action: 'qchat_update_member',
        command: '/qchat-nick',
        target: { accid, serverId: '9001' },
        changes: serverMemberChanges(before, update),
      },
      ({ correlationId }) => nim.updateServerMember(update, { correlationId }),
    );
  }
  async function sanction(actor: string, s: Sanction, id: string) {
    return carryOut(s, { trail, nim, actor, command: '/im-mute', correlationId: id, now: () => clock.now, schedule: audit.store });
  }
  async function item(id: string): Promise<HistoryItem> {
    const found = await audit.store.entry(id);
    if (!found) throw new Error(`no entry ${id}`);
    return found;
  }
  async function accountHistory(accid: string): Promise<HistoryItem[]> {
    return (await audit.store.history({ accid, limit: 100 })).items;
  }
  return {
    emulator,
    nim,
    trail,
    store: audit.store,
    posted,
    outbox: audit.trail.outbox,
    clock,
    run,
    editCard,
    editNick,
    sanction,
    item,
    accountHistory,
    records: () => auditRecords(dir),
  };
}
