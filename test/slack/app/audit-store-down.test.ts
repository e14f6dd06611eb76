import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { SqliteAuditStore } from '../../../src/audit/store/sqlite/store.js';
import { Readiness } from '../../../src/readiness/readiness.js';
import { writeBlocker } from '../../audit/trail.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

type Message = { text?: string; blocks?: unknown[] };
const visibleText = (message: Message) => JSON.stringify(message.blocks ?? message.text);

/**
 * The audit store going down under a running app (here: another program holds its database's write lock, as a
 * `sqlite3` shell left in a transaction would): updates and lookups are refused with a clear message and nothing
 * reaches NetEase or the person's screen, /readyz says why, and all of it comes back once the lock is released.
 */
describe('the audit store down', () => {
  let h: (UpdateHarness & { removeDir(): Promise<void> }) | undefined;
  afterEach(async () => {
    await h?.app.stop();
    await h?.emulator.close();
    await h?.slack.close();
    await h?.removeDir();
    h = undefined;
  });

  it('refuses updates and lookups, is not ready, and recovers with the database', async () => {
    let writes: ReturnType<typeof writeBlocker> | undefined;
    const readiness = new Readiness();
    h = await startUpdateHarness({
      readiness,
      auditStore: (path) => {
        writes = writeBlocker(dirname(path));
        return new SqliteAuditStore({ path, logger: pino({ level: 'silent' }), busyTimeoutMs: 50 });
      },
    });
    const readyz = async () => {
      const response = await fetch(`${h!.appUrl}/readyz`);
      return { status: response.status, body: (await response.json()) as { probes: Record<string, { ready: boolean; reason?: string }> } };
    };
    expect(await readyz()).toMatchObject({ status: 200, body: { probes: { 'audit-store': { ready: true } } } });

    await h.command('/im-user', 'edit alice', 'U0ADMIN');
    const view = await h.filledView('edit_card');
    writes!.block();
    await h.submit(view, 'U0ADMIN', { name: 'Unaudited' });
    const refused = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(visibleText(refused.args as Message)).toMatch(/audit trail could not record this change, so nothing was sent to NetEase/);
    expect(h.emulator.count({ endpoint: 'user/updateUinfo.action' })).toBe(0);

    const lookup = await h.answer((await h.command('/im-user', 'alice', 'U0MEMBER')).responseId);
    const shown = visibleText(lookup.body);
    expect(shown).toMatch(/audit trail cannot record who looks at what right now, so nothing is shown/);
    expect(shown).not.toContain('Alice Chen');

    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.probes['audit-store']?.reason).toMatch(/audit store \(sqlite .*audit\.db\) cannot take an intent/);

    writes!.unblock();
    expect(await readyz()).toMatchObject({ status: 200, body: { probes: { 'audit-store': { ready: true } } } });
    const again = await h.answer((await h.command('/im-user', 'alice', 'U0MEMBER')).responseId);
    expect(visibleText(again.body as Message)).toContain('Alice Chen');
  });
});
