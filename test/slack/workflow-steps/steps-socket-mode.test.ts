import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAccess } from '../../../src/config.js';
import { DEMO_APP, startEmulator } from '../../../src/emulator/server.js';
import { NimClient } from '../../../src/nim/client.js';
import { startSlackApi } from '../../../src/simulator/slack-api.js';
import { eventCallback, functionExecutedEvent } from '../../../src/simulator/slack-payloads.js';
import { composeSlackApp } from '../../../src/compose.js';
import { defaultPeople } from '../../support/app-harness.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Workflow Builder steps over Socket Mode', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('acks function_executed on the socket, mutes once per execution id, and completes with the workflow token', async () => {
    const slack = await startSlackApi({ people: defaultPeople });
    const emulator = await startEmulator();
    const nim = new NimClient({ ...DEMO_APP, baseUrl: emulator.url });
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-steps-'));
    cleanup.push(
      () => slack.close(),
      () => emulator.close(),
      () => nim.close(),
      () => rm(dir, { recursive: true, force: true }),
    );
    const app = composeSlackApp({
      slack: { botToken: slack.botToken, signingSecret: 'unused-in-socket-mode', appToken: slack.appToken, apiUrl: slack.apiUrl },
      access: defaultAccess,
      nim,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      webApiRetries: 0,
      socketModeHttpPort: await freePort(),
      audit: { dbPath: join(dir, 'audit.db') },
    });
    await app.start();
    cleanup.push(() => app.stop());
    await slack.socketMode.connected();

    const execution = slack.startFunctionExecution('mute_im_accounts');
    const event = eventCallback(
      functionExecutedEvent({
        callbackId: 'mute_im_accounts',
        executionId: execution.id,
        botAccessToken: execution.token,
        inputs: { user_context: { id: 'U0ADMIN', secret: 'x' }, accids: 'grace', duration: '1h', reason: 'spam' },
      }),
    );
    const [first, again] = await Promise.all([
      slack.socketMode.deliver('events_api', event),
      slack.socketMode.deliver('events_api', event),
    ]);
    expect(first.envelope_id).toBeTruthy();
    expect(again.envelope_id).toBeTruthy();
    const done = await slack.waitForCall('functions.completeSuccess', (call) => call.args.function_execution_id === execution.id, 10_000);
    expect(done.token).toBe(execution.token);
    expect(slack.functionExecution(execution.id)).toMatchObject({ status: 'completed', outputs: { muted_count: 1 } });
    expect(emulator.count({ endpoint: 'user/mute.action' })).toBe(1);
  });
});
