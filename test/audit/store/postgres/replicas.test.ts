import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeNeeding } from '../../../support/prerequisites.js';
import { sendSlashCommand } from '../../../support/slack-requests.js';
import { postgresMissing, usePostgresServer } from './fixtures.js';
import {
  channelPosts,
  postsPerEntry,
  setTo,
  setNick,
  sql,
  startReplicas,
  startWorld,
  waitForChannelPost,
  type World,
} from './replicas-fixture.js';

/**
 * Two and three app processes (`src/main.ts`, as production runs) on one PostgreSQL audit database, against the
 * NetEase emulator and a local Slack: what each replica does is seen once, by everyone.
 */
const LEASE_SECONDS = 3;
const title = 'audit trail shared by app replicas on PostgreSQL';
describeNeeding('postgresql', postgresMissing)(title, () => {
  const { server } = usePostgresServer();
  let world: World;
  let stopReplicas: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(async () => {
    world.emulator.clearFaults();
    await stopReplicas?.();
    stopReplicas = undefined;
  });

  async function replicas(count: number) {
    const databaseUrl = await server().createDatabase();
    // NetEase may take longer than a lease without the app giving up on it (NIM_TIMEOUT_MS above the held call).
    const env = { AUDIT_LEASE_SECONDS: String(LEASE_SECONDS), NIM_TIMEOUT_MS: '30000' };
    const started = await startReplicas(world, databaseUrl, count, env);
    stopReplicas = started.stop;
    return { databaseUrl, replicas: started.replicas };
  }

  it('posts every update and refusal made on either of two replicas exactly once', { timeout: 90_000 }, async () => {
    const {
      databaseUrl,
      replicas: [a, b],
    } = await replicas(2);
    const nicks = Array.from({ length: 8 }, (_, n) => `Once-${n}`);
    await Promise.all(nicks.map((nick, n) => setNick(world, n % 2 ? a! : b!, nick)));
    const refusedBy = ['U0MEMBER', 'U0GUEST'];
    await Promise.all(refusedBy.map((user, n) => setNick(world, n % 2 ? a! : b!, `Refused-${n}`, user)));
    for (const nick of nicks) await waitForChannelPost(world, setTo(nick));
    for (const user of refusedBy) await waitForChannelPost(world, `<@${user}>`);
    // A last entry, posted after all the others had their chance to be posted twice.
    await setNick(world, a!, 'Sentinel');
    await waitForChannelPost(world, setTo('Sentinel'));
    const entries = await sql<{ id: string }>(databaseUrl, `SELECT id FROM audit_records WHERE kind IN ('intent', 'refusal')`);
    expect(entries).toHaveLength(nicks.length + refusedBy.length + 1);
    const posted = postsPerEntry(world);
    expect(Object.fromEntries(entries.map(({ id }) => [id, posted.get(id)]))).toEqual(Object.fromEntries(entries.map(({ id }) => [id, 1])));
  });

  it('settles an update once, as outcome unknown, after kill -9 of the replica waiting on NetEase', { timeout: 90_000 }, async () => {
    const {
      databaseUrl,
      replicas: [a, b, c],
    } = await replicas(3);
    world.emulator.injectFault('qchat/updateServerMember.action', { kind: 'latency', ms: 60_000 }, 1);
    await setNick(world, a!, 'Killed-In-Flight');
    // The intent is stored before NetEase is called: once it is there, a holds an update in flight.
    const intent = await waitForRow(
      databaseUrl,
      `SELECT id FROM audit_records WHERE kind = 'intent' AND body LIKE '%"after":"Killed-In-Flight"%'`,
    );
    await a!.crash();

    const post = await waitForChannelPost(world, setTo('Killed-In-Flight'), 40_000);
    expect(JSON.stringify(post.args)).toContain('Outcome unknown');
    await setNick(world, b!, 'After-Kill');
    await waitForChannelPost(world, setTo('After-Kill'));
    expect(channelPosts(world, setTo('Killed-In-Flight'))).toHaveLength(1);
    const outcomes = await sql(databaseUrl, `SELECT body FROM audit_records WHERE id = $1 AND kind = 'outcome'`, [intent.id]);
    expect(outcomes).toHaveLength(1);
    expect(JSON.parse((outcomes[0] as { body: string }).body)).toMatchObject({ status: 'unknown', recovered: true });
    void c;
  });

  it('never settles an update whose replica is alive and still waiting on NetEase past the lease', { timeout: 90_000 }, async () => {
    const {
      databaseUrl,
      replicas: [a, b],
    } = await replicas(3);
    // NetEase answers after three leases: the other replicas poll meanwhile, and must leave it to its owner.
    world.emulator.injectFault('qchat/updateServerMember.action', { kind: 'latency', ms: 3 * LEASE_SECONDS * 1000 }, 1);
    await setNick(world, a!, 'Slow-But-Alive');
    const post = await waitForChannelPost(world, setTo('Slow-But-Alive'), 40_000);
    expect(JSON.stringify(post.args)).not.toContain('Outcome unknown');
    await setNick(world, b!, 'After-Slow');
    await waitForChannelPost(world, setTo('After-Slow'));
    expect(channelPosts(world, setTo('Slow-But-Alive'))).toHaveLength(1);
    const outcomes = await sql<{ body: string }>(
      databaseUrl,
      `SELECT o.body FROM audit_records o JOIN audit_records i ON i.id = o.id AND i.kind = 'intent'
       WHERE o.kind = 'outcome' AND i.body LIKE '%"after":"Slow-But-Alive"%'`,
    );
    expect(outcomes.map((row) => (JSON.parse(row.body) as { status: string }).status)).toEqual(['applied']);
  });

  it('shows the same history from either replica, whichever made the change', { timeout: 60_000 }, async () => {
    const {
      replicas: [a, b],
    } = await replicas(2);
    await setNick(world, a!, 'Seen-From-B');
    await waitForChannelPost(world, setTo('Seen-From-B'));
    for (const replica of [a!, b!]) {
      const responseId = `history-${replica.url.slice(-5)}`;
      const answered = world.slack.waitForResponse(responseId, undefined, 20_000);
      const ack = await sendSlashCommand(replica.signer, {
        command: '/im-audit',
        text: 'lina',
        user_id: 'U0ADMIN',
        response_url: world.slack.responseUrl(responseId),
      });
      expect(ack.status).toBe(200);
      expect(JSON.stringify((await answered).body)).toContain('Seen-From-B');
    }
  });
});

async function waitForRow(databaseUrl: string, query: string, timeoutMs = 20_000): Promise<{ id: string }> {
  const started = Date.now();
  for (;;) {
    const [row] = await sql<{ id: string }>(databaseUrl, query);
    if (row) return row;
    if (Date.now() - started > timeoutMs) throw new Error(`no row for ${query} in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
