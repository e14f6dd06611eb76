import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEMO_APP, startEmulator } from '../../../../src/emulator/server.js';
import type { Emulator } from '../../../../src/emulator/types.js';
import type { ApiCall } from '../../../../src/simulator/recorder.js';
import { startSlackApi, type SlackApi } from '../../../../src/simulator/slack-api.js';
import { startAppProcess, type AppProcess } from '../../../support/app-process.js';
import { sendSlashCommand } from '../../../support/slack-requests.js';

/** The audit channel every replica posts to. */
export const AUDIT_CHANNEL = 'C0AUDIT';

/** NetEase (the emulator) and Slack (the local Web API) shared by the replicas of one test file. */
export type World = { emulator: Emulator; slack: SlackApi; close(): Promise<void> };

export async function startWorld(): Promise<World> {
  const [emulator, slack] = await Promise.all([startEmulator(), startSlackApi()]);
  return { emulator, slack, close: async () => void (await Promise.all([emulator.close(), slack.close()])) };
}

/**
 * `count` app processes, as `npm start` runs them, on one audit database: each its own port, signing secret and
 * (unused) audit file, all sharing NetEase, Slack and the audit channel.
 */
export async function startReplicas(world: World, databaseUrl: string, count: number, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'im-admin-replicas-'));
  try {
    const replicas = await Promise.all(
      Array.from({ length: count }, (_, n) =>
        startAppProcess({
          SLACK_BOT_TOKEN: world.slack.botToken,
          SLACK_API_URL: world.slack.apiUrl,
          NIM_APP_KEY: DEMO_APP.appKey,
          NIM_APP_SECRET: DEMO_APP.appSecret,
          NIM_BASE_URL: world.emulator.url,
          AUDIT_DATABASE_URL: databaseUrl,
          AUDIT_CHANNEL,
          AUDIT_DB: join(dir, `unused-${n}.db`),
          ...env,
        }),
      ),
    );
    return { replicas, stop: () => stopAll(replicas, dir) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function stopAll(replicas: AppProcess[], dir: string): Promise<void> {
  await Promise.all(replicas.map((replica) => replica.stop()));
  rmSync(dir, { recursive: true, force: true });
}

/** `/qchat-nick 1513535 <accid> <nick>` as `user` to one replica: a full command, so the update runs at once. */
export async function setNick(world: World, replica: AppProcess, nick: string, user = 'U0ADMIN', accid = 'lina') {
  const answer = await sendSlashCommand(replica.signer, {
    command: '/qchat-nick',
    text: `1513535 ${accid} ${nick}`,
    user_id: user,
    response_url: world.slack.responseUrl(),
  });
  if (answer.status !== 200) throw new Error(`not acknowledged: HTTP ${answer.status} ${answer.body}`);
}

/** How an audit entry shows the nickname an update set (its "after"; the next update shows it as "before"). */
export const setTo = (nick: string) => `→ \`${nick}\``;

/** How many times each entry id was posted to the audit channel (from the "Correlation ID" every entry carries). */
export function postsPerEntry(world: World): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of world.slack.calls('chat.postMessage')) {
    if (call.args.channel !== AUDIT_CHANNEL) continue;
    const id = /Correlation ID: ([\w.-]+)/.exec(JSON.stringify(call.args))?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The audit channel's entries (chat.postMessage to it) whose text mentions `needle`. */
export function channelPosts(world: World, needle: string): ApiCall[] {
  return world.slack
    .calls('chat.postMessage')
    .filter((call) => call.args.channel === AUDIT_CHANNEL && JSON.stringify(call.args).includes(needle));
}

export async function waitForChannelPost(world: World, needle: string, timeoutMs = 20_000): Promise<ApiCall> {
  return world.slack.waitForCall(
    'chat.postMessage',
    (call) => call.args.channel === AUDIT_CHANNEL && JSON.stringify(call.args).includes(needle),
    timeoutMs,
  );
}

export async function sql<Row extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, params)).rows;
  } finally {
    await client.end();
  }
}
