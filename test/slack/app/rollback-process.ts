import { SqliteAuditStore } from '../../../src/audit/store/sqlite/store.js';
import type { Emulator } from '../../../src/emulator/types.js';
import { rollbackBlocks } from '../../../src/slack/ids.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { viewSubmissionBody } from '../../support/slack-requests.js';

/**
 * A rollback in the app's own process (`node --import tsx src/main.ts`), for the tests that stop that process
 * part-way: the rogue's card edits seeded in its SQLite file, and the rollback forms' submissions.
 */

export const ROGUE = 'U0OWNER';
export const ACCOUNTS = 20;
export const accid = (n: number) => `rb${n}`;

export type View = { id: string; callback_id?: string; private_metadata?: string; blocks: unknown[] };
export const viewOf = (call: ApiCall) => ({ ...(call.args.view as View), id: String(call.args.view_id) });

/** A view_submission of `view` as `user`: the rollback's forms need no more than the "since" period chosen. */
export function submission(view: View, user: string): string {
  return viewSubmissionBody(view, user, {
    [rollbackBlocks.period]: { value: { type: 'static_select', selected_option: { value: '1h' } } },
    [rollbackBlocks.at]: { value: { type: 'datetimepicker', selected_date_time: null } },
  });
}

/** The rogue's 20 card edits, as the audit store holds them, each account still as the rogue left it. */
export async function seedRogueChanges(path: string, emulator: Emulator): Promise<void> {
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const store = new SqliteAuditStore({ path, logger });
  await store.open();
  const at = Date.now() - 10 * 60_000;
  for (let n = 0; n < ACCOUNTS; n += 1) {
    emulator.putUser({ accid: accid(n), name: `Pwned ${n}` });
    const id = `rogue.${n}`;
    const when = new Date(at + n * 1000).toISOString();
    await store.appendIntent(
      {
        kind: 'intent',
        id,
        at: when,
        actor: ROGUE,
        action: 'update_user_card',
        command: 'edit card modal',
        target: { accid: accid(n) },
        changes: { name: { before: `Orig ${n}`, after: `Pwned ${n}` } },
      },
      { owner: 'seed', leaseUntil: at },
    );
    await store.appendOutcome({ kind: 'outcome', id, at: when, status: 'applied' });
  }
  // Posted long ago: the channel sees only the rollback.
  for (const entry of await store.claimUnposted({ owner: 'seed', now: Date.now(), leaseMs: 60_000, limit: 100 })) {
    await store.markPosted(entry.kind === 'update' ? entry.intent.id : entry.refusal.id, { owner: 'seed', at: Date.now() });
  }
  await store.close();
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
