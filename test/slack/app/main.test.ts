import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config.js';
import { DEMO_APP, startEmulator } from '../../../src/emulator/server.js';
import type { Emulator } from '../../../src/emulator/types.js';
import { startServer, type RunningServer } from '../../../src/main.js';
import { startSlackApi, type SlackApi } from '../../../src/simulator/slack-api.js';
import { visibleText } from '../../support/app-harness.js';
import { sendSlashCommand } from '../../support/slack-requests.js';

describe('starting im-admin (src/main.ts)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  const started = async (env: Record<string, string>) => {
    const server = await startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
    cleanup.push(() => server.stop());
    return server;
  };

  it('with no settings, starts local mode: emulator, local Slack, /healthz, and answers /im-user', async () => {
    const server: RunningServer = await started({});
    expect(server.emulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/nimserver$/);
    expect((await fetch(`${server.url!}/healthz`)).status).toBe(200);
    const { slack, signingSecret } = server.simulator!;
    const ack = await sendSlashCommand(
      { eventsUrl: `${server.url!}/slack/events`, signingSecret },
      { command: '/im-user', text: 'alice', user_id: 'U0MEMBER', response_url: slack.responseUrl('local') },
    );
    expect(ack.status).toBe(200);
    expect(visibleText((await slack.waitForResponse('local')).body)).toContain('Alice Chen');
  });

  it('with workspace settings, talks to the Slack Web API at SLACK_API_URL and to NetEase at NIM_BASE_URL', async () => {
    const slack: SlackApi = await startSlackApi({ botToken: 'xoxb-test-token', people: [{ id: 'U0ADA', name: 'Ada', role: 'admin' }] });
    const emulator: Emulator = await startEmulator();
    cleanup.push(
      () => slack.close(),
      () => emulator.close(),
    );
    const server = await started({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'workspace-secret',
      SLACK_API_URL: slack.apiUrl,
      NIM_APP_KEY: DEMO_APP.appKey,
      NIM_APP_SECRET: DEMO_APP.appSecret,
      NIM_BASE_URL: emulator.url,
    });
    expect(server.simulator).toBeUndefined();
    expect(slack.calls('auth.test')).toHaveLength(1);
    await sendSlashCommand(
      { eventsUrl: `${server.url!}/slack/events`, signingSecret: 'workspace-secret' },
      { command: '/im-user', text: 'bob', user_id: 'U0ADA', response_url: slack.responseUrl('ws') },
    );
    expect(visibleText((await slack.waitForResponse('ws')).body)).toContain('Bob Smith');
    // The start-up check's lookup of an account nobody has, then the command's.
    expect(emulator.received.map((request) => request.form.accids)).toEqual(['["im-admin-start-probe"]', '["bob"]']);
  });

  it('stops with a clear message when Slack rejects the bot token', async () => {
    const slack = await startSlackApi({ botToken: 'xoxb-the-right-one' });
    cleanup.push(() => slack.close());
    await expect(started({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl })).rejects.toThrow(
      /Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/,
    );
  });

  it('lists every settings problem at once', async () => {
    const error = await startServer({ SLACK_BOT_TOKEN: 'not-a-token', NIM_APP_KEY: 'k', PORT: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.length).toBeGreaterThanOrEqual(3);
  });
});
