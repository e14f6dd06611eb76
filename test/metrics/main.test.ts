import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/main.js';
import { visibleText } from '../support/app-harness.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { sample, scrape, scrapeUntil } from './scrape.js';

describe('GET /metrics of the server as npm start runs it (src/main.ts, local mode)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('serves the app metrics and process metrics beside /healthz, and counts a command and its NetEase call', async () => {
    server = await startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const first = await scrape(server.url!);
    expect(first.status).toBe(200);
    expect(first.text).toContain('# TYPE im_admin_process_cpu_seconds_total counter');
    expect(sample(first.text, 'im_admin_nim_budget_queue_depth')).toBe(0);
    // The start-up check (src/startup/) made one lookup already.
    expect(sample(first.text, 'im_admin_nim_calls_total', { endpoint: 'user/getUinfos.action', code: '200' })).toBe(1);
    expect(sample(first.text, 'im_admin_audit_pending')).toBeGreaterThanOrEqual(0);

    const { slack, signingSecret } = server.simulator!;
    await sendSlashCommand(
      { eventsUrl: `${server.url!}/slack/events`, signingSecret },
      { command: '/im-user', text: 'alice', user_id: 'U0MEMBER', response_url: slack.responseUrl('metrics') },
    );
    expect(visibleText((await slack.waitForResponse('metrics')).body)).toContain('Alice Chen');
    const text = await scrapeUntil(
      server.url!,
      (t) => sample(t, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'ok' }) === 1,
    );
    expect(sample(text, 'im_admin_slack_commands_total', { command: '/im-user', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'im_admin_nim_calls_total', { endpoint: 'user/getUinfos.action', code: '200' })).toBe(2);
  });

  it('with METRICS_TOKEN, serves /metrics only to a scrape bearing the token', async () => {
    const token = 'metrics-token-0123456789';
    server = await startServer({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', METRICS_TOKEN: token });
    const bearing = await fetch(`${server.url!}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearing.status).toBe(200);
    expect(await bearing.text()).toContain('im_admin_nim_budget_queue_depth');
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${token}`, `Bearer ${token}x`]) {
      const refused = await fetch(`${server.url!}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain('im_admin_');
    }
    expect((await fetch(`${server.url!}/healthz`)).status).toBe(200);
  });
});
