import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../src/emulator/server.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/main.js';
import { startSlackApi } from '../../src/simulator/slack-api.js';
import { visibleText } from '../support/app-harness.js';
import { freePort } from '../support/free-port.js';
import { logLines } from '../support/log-lines.js';
import { sendSlashCommand } from '../support/slack-requests.js';

/**
 * src/startup/ through the real entry (startServer): the port opens whatever happens, /readyz says what the app waits
 * for, the log names the URL and what to check, the app retries until the service answers, and a rejected credential
 * stops the start at once.
 */
describe('start-up when Slack or NetEase cannot be reached', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  const fastRetry: StartOptions['startupRetry'] = { baseDelayMs: 20, maxDelayMs: 100 };
  const start = async (env: Record<string, string>, options: StartOptions = {}) => {
    const server = await startServer({ PORT: '0', LOG_LEVEL: 'info', ...env }, { startupRetry: fastRetry, ...options });
    cleanup.push(() => server.stop());
    return server;
  };
  const readyz = async (server: RunningServer) => {
    const answer = await fetch(`${server.url!}/readyz`);
    return { status: answer.status, body: (await answer.json()) as { ready: boolean; probes: Record<string, { reason?: string }> } };
  };
  const workspace = (apiPort: number, nimUrl: string) => ({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'startup-secret',
    SLACK_API_URL: `http://127.0.0.1:${apiPort}/api/`,
    NIM_APP_KEY: DEMO_APP.appKey,
    NIM_APP_SECRET: DEMO_APP.appSecret,
    NIM_BASE_URL: nimUrl,
  });

  it('Slack out of reach: /healthz answers, /readyz fails naming the URL, Slack requests get 503; once Slack answers it serves', async () => {
    const emulator = await startEmulator();
    cleanup.push(() => emulator.close());
    const slackPort = await freePort();
    const log = logLines();
    const server = await start(workspace(slackPort, emulator.url), { logDestination: log });

    expect((await fetch(`${server.url!}/healthz`)).status).toBe(200);
    const notReady = await readyz(server);
    expect(notReady.status).toBe(503);
    expect(notReady.body.probes.startup?.reason).toContain(`Slack (http://127.0.0.1:${slackPort}/api/auth.test: `);
    expect(notReady.body.probes.startup?.reason).toContain('ECONNREFUSED');
    const warning = log.messages().find((message) => message.startsWith('Slack cannot be reached'));
    expect(warning).toContain(`http://127.0.0.1:${slackPort}/api/auth.test`);
    expect(warning).toContain('check SLACK_API_URL');
    const refused = await sendSlashCommand(
      { eventsUrl: `${server.url!}/slack/events`, signingSecret: 'startup-secret' },
      { command: '/im-user', text: 'bob', user_id: 'U0MEMBER', response_url: 'http://127.0.0.1:1/unused' },
    );
    expect(refused.status).toBe(503);

    const slack = await startSlackApi({ botToken: 'xoxb-test-token', port: slackPort });
    cleanup.push(() => slack.close());
    await server.ready;
    expect((await readyz(server)).status).toBe(200);
    expect(log.messages()).toContain('Slack and NetEase reached: ready, taking requests');
    await sendSlashCommand(
      { eventsUrl: `${server.url!}/slack/events`, signingSecret: 'startup-secret' },
      { command: '/im-user', text: 'bob', user_id: 'U0MEMBER', response_url: slack.responseUrl('after') },
    );
    expect(visibleText((await slack.waitForResponse('after')).body)).toContain('Bob Smith');
  });

  it('NetEase out of reach: not ready, naming NIM_BASE_URL, retried with growing delays until the emulator answers', async () => {
    const slack = await startSlackApi({ botToken: 'xoxb-test-token' });
    cleanup.push(() => slack.close());
    const nimPort = await freePort();
    const log = logLines();
    const server = await start(
      { ...workspace(Number(new URL(slack.url).port), `http://127.0.0.1:${nimPort}/nimserver`), NIM_TIMEOUT_MS: '500' },
      { logDestination: log },
    );
    const { body } = await readyz(server);
    expect(body.probes.startup?.reason).toMatch(
      new RegExp(`^waiting for NetEase \\(http://127.0.0.1:${nimPort}/nimserver/user/getUinfos.action: `),
    );

    const emulator = await startEmulator({ port: nimPort });
    cleanup.push(() => emulator.close());
    await server.ready;
    expect((await readyz(server)).status).toBe(200);
    const retries = log.lines.filter((line) => line.service === 'NetEase').map((line) => line.retryInMs as number);
    expect(retries[0]).toBe(20);
    expect(retries).toEqual([...retries].sort((a, b) => a - b));
    expect(String(log.lines.find((line) => line.service === 'NetEase')?.msg)).toContain('check NIM_BASE_URL');
  });

  it('NetEase rejecting the credentials stops the start at once, without retrying', async () => {
    const slack = await startSlackApi({ botToken: 'xoxb-test-token' });
    const emulator = await startEmulator();
    cleanup.push(
      () => slack.close(),
      () => emulator.close(),
    );
    const env = { ...workspace(Number(new URL(slack.url).port), emulator.url), NIM_APP_SECRET: 'not-the-secret' };
    await expect(startServer({ PORT: '0', LOG_LEVEL: 'silent', ...env })).rejects.toThrow(
      /^NetEase rejected NIM_APP_KEY \/ NIM_APP_SECRET \(code 414: /,
    );
    expect(emulator.count()).toBe(1);
  });

  it('a token Slack rejects once it can be reached ends the start (ready rejects)', async () => {
    const emulator = await startEmulator();
    cleanup.push(() => emulator.close());
    const slackPort = await freePort();
    const server = await start(workspace(slackPort, emulator.url), { logDestination: logLines() });
    const slack = await startSlackApi({ botToken: 'xoxb-another-token', port: slackPort });
    cleanup.push(() => slack.close());
    await expect(server.ready).rejects.toThrow('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
    expect((await readyz(server)).status).toBe(503);
  });
});
