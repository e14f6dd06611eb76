import { afterEach, expect, it } from 'vitest';
import { describeNeeding } from '../support/prerequisites.js';
import type { IntentRecord } from '../../src/audit/records.js';
import type { PostgresAuditStore } from '../../src/audit/store/postgres/store.js';
import { sanctionsOf } from '../../src/moderation/sanction-info.js';
import { renderMuteStatus } from '../../src/slack/lookup/mute-status.js';
import { allText } from '../slack/card-fixtures.js';
import { postgresMissing, postgresStore, usePostgresServer } from '../audit/store/postgres/fixtures.js';

const AT = '2026-12-01T14:00:00.000Z';
const LIFT_AT = Date.UTC(2026, 11, 2, 14, 0);

const title = 'who set a sanction: from the audit store, or "set outside im-admin"';
describeNeeding('postgresql', postgresMissing)(title, () => {
  const { server } = usePostgresServer();
  const opened: PostgresAuditStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  async function store() {
    const s = postgresStore(await server().createDatabase());
    await s.open();
    opened.push(s);
    return s;
  }

  const intent = (id: string, accid: string, action: IntentRecord['action'], sanction: IntentRecord['sanction'] = {}): IntentRecord => ({
    kind: 'intent',
    id,
    at: AT,
    actor: 'U0ADMIN',
    action,
    command: '/im-mute',
    target: { accid },
    changes: {},
    sanction,
  });

  async function applied(s: PostgresAuditStore, record: IntentRecord, status: 'applied' | 'failed' = 'applied', liftAt?: number) {
    await s.appendIntent(record, { owner: 'o', leaseUntil: 0, ...(liftAt ? { lift: { liftAt } } : {}) });
    await s.appendOutcome({ kind: 'outcome', id: record.id, at: AT, status });
  }

  it('names who muted here, when, why and when it lifts; says "outside" for the rest; leaves unsanctioned accounts out', async () => {
    const s = await store();
    await applied(
      s,
      intent('m1', 'spam1', 'mute', { reason: 'spam <!channel>', liftAt: new Date(LIFT_AT).toISOString() }),
      'applied',
      LIFT_AT,
    );
    await applied(s, intent('b1', 'spam1', 'block', { reason: 'fraud' }));
    // Muted here once, then unmuted here: a mute NetEase shows now was set elsewhere.
    await applied(s, intent('m2', 'spam2', 'mute', { reason: 'old' }));
    await applied(s, intent('u2', 'spam2', 'unmute'));
    // A mute that failed explains nothing.
    await applied(s, intent('m3', 'spam3', 'mute', { reason: 'x' }), 'failed');
    const cards = [
      { accid: 'spam1', mute: true, valid: false },
      { accid: 'spam2', muteTeam: true },
      { accid: 'spam3', mute: true },
      { accid: 'clean', mute: false, valid: true },
    ];
    const sanctions = await sanctionsOf(s, cards);
    expect(sanctions.get('spam1')).toEqual({
      mute: { madeHere: true, sanctionId: 'm1', actor: 'U0ADMIN', at: AT, reason: 'spam <!channel>', liftAt: LIFT_AT },
      block: { madeHere: true, sanctionId: 'b1', actor: 'U0ADMIN', at: AT, reason: 'fraud' },
    });
    expect(sanctions.get('spam2')).toEqual({ mute: { madeHere: false } });
    expect(sanctions.get('spam3')).toEqual({ mute: { madeHere: false } });
    expect(sanctions.has('clean')).toBe(false);

    const text = allText(renderMuteStatus({ lookup: { found: cards, notFound: [] }, invalid: [], locale: 'en', sanctions }));
    expect(text).toContain(
      'Muted through im-admin by <@U0ADMIN> at 2026-12-01 14:00 UTC — reason: spam &lt;!channel&gt; · im-admin lifts it at 2026-12-02 14:00 UTC',
    );
    expect(text).toContain('Blocked through im-admin by <@U0ADMIN> at 2026-12-01 14:00 UTC — reason: fraud');
    expect(text).toContain('Muted: set outside im-admin');
  });
});
