import { defaultAccess } from '../../../src/config.js';
import { createServer } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../../src/emulator/server.js';
import { NimClient } from '../../../src/nim/client.js';
import { blockActionsPayload } from '../../../src/simulator/sign-request.js';
import { startSlackApi } from '../../../src/simulator/slack-api.js';
import { composeSlackApp } from '../../../src/compose.js';
import { actionIds } from '../../../src/slack/ids.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('connects over a WebSocket, acks commands and clicks there, answers through response_url, serves /healthz', async () => {
    const slack = await startSlackApi({ people: defaultPeople });
    const emulator = await startEmulator();
    const nim = new NimClient({ ...DEMO_APP, baseUrl: emulator.url });
    cleanup.push(
      () => slack.close(),
      () => emulator.close(),
      () => nim.close(),
    );
    const port = await freePort();
    const app = composeSlackApp({
      slack: { botToken: slack.botToken, signingSecret: 'unused-in-socket-mode', appToken: slack.appToken, apiUrl: slack.apiUrl },
      access: defaultAccess,
      nim,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      webApiRetries: 0,
      socketModeHttpPort: port,
    });
    await app.start();
    cleanup.unshift(() => app.stop());
    await slack.socketMode.connected();
    expect(slack.calls('apps.connections.open')[0]?.token).toBe(slack.appToken);

    const command = await slack.socketMode.deliver('slash_commands', {
      command: '/im-user',
      text: 'alice',
      user_id: 'U0MEMBER',
      channel_id: 'C0GENERAL',
      team_id: 'T0SIMULATE',
      response_url: slack.responseUrl('socket'),
      trigger_id: 't1',
    });
    expect(command.envelope_id).toBeTruthy();
    expect(visibleText((await slack.waitForResponse('socket')).body)).toContain('Alice Chen');

    const click = await slack.socketMode.deliver(
      'interactive',
      blockActionsPayload({
        userId: 'U0MEMBER',
        channelId: 'C0GENERAL',
        actionId: actionIds.muteStatus,
        value: 'alice',
        responseUrl: slack.responseUrl('socket-click'),
        triggerId: 't2',
      }),
    );
    expect(click.envelope_id).toBeTruthy();
    expect(visibleText((await slack.waitForResponse('socket-click')).body)).toMatch(/muted/);

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('refuses a bot token where the app-level token belongs', async () => {
    const slack = await startSlackApi();
    cleanup.push(() => slack.close());
    const answer = await fetch(`${slack.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.botToken}` },
    });
    expect(await answer.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });
});
