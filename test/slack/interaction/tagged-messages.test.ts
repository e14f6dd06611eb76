import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from '../../../src/simulator/slack-api.js';
import { auditMetadata, taggedMessageFinder } from '../../../src/slack/interaction/tagged-messages.js';

/** The search of the audit channel for a message a crashed process posted, against the local Slack. */
describe('taggedMessageFinder', () => {
  let slack: SlackApi;
  let client: webApi.WebClient;
  let clock: number;
  const warnings: { details: Record<string, unknown>; message: string }[] = [];
  const log = { warn: (details: Record<string, unknown>, message: string) => void warnings.push({ details, message }) };

  beforeEach(async () => {
    clock = Date.UTC(2026, 11, 7, 12);
    warnings.length = 0;
    slack = await startSlackApi({ now: () => clock });
    client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(() => slack.close());

  async function post(text: string, metadata?: ReturnType<typeof auditMetadata>) {
    clock += 1000;
    return (await client.chat.postMessage({ channel: 'C0AUDIT', text, ...(metadata ? { metadata } : {}) })).ts!;
  }

  it('finds the messages of the ids asked, of that kind only, since the attempt (less the margin)', async () => {
    const before = await post('long ago', auditMetadata('im_admin_audit_entry', 'old'));
    clock += 10 * 60_000;
    const since = clock;
    const e1 = await post('entry 1', auditMetadata('im_admin_audit_entry', 'e1'));
    await post('a run named e2', auditMetadata('im_admin_run', 'e2'));
    await post('untagged');
    const find = taggedMessageFinder(client, 'C0AUDIT', log, { pageSize: 1, pages: 10 });
    const found = await find('im_admin_audit_entry', ['e1', 'e2', 'old'], since);
    expect([...found.entries()]).toEqual([['e1', { channel: 'C0AUDIT', ts: e1 }]]);
    expect(before).toBeTruthy();
    // Newest first, one message a page: stopped at `oldest`, not at the channel's start.
    const oldests = slack.calls('conversations.history').map((call) => call.args.oldest);
    expect(new Set(oldests)).toEqual(new Set([((since - 120_000) / 1000).toFixed(6)]));
    expect(warnings).toEqual([]);
  });

  it('reads a bounded number of pages, and says so when the window was not read to its end', async () => {
    const since = clock;
    for (let n = 0; n < 6; n += 1) await post(`m${n}`);
    const find = taggedMessageFinder(client, 'C0AUDIT', log, { pageSize: 2, pages: 2 });
    expect((await find('im_admin_audit_entry', ['gone'], since)).size).toBe(0);
    expect(slack.calls('conversations.history')).toHaveLength(2);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('not read to the end')]);
  });

  it('without channels:history finds nothing and logs once which scope is missing', async () => {
    await post('entry 1', auditMetadata('im_admin_audit_entry', 'e1'));
    slack.setScopes(['chat:write', 'chat:write.public']);
    const find = taggedMessageFinder(client, 'C0AUDIT', log);
    expect((await find('im_admin_audit_entry', ['e1'], clock - 5000)).size).toBe(0);
    expect((await find('im_admin_run', ['b1'], clock - 5000)).size).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('channels:history');
    expect(warnings[0]!.details).toMatchObject({ needed: 'channels:history' });
  });

  it('a channel the bot left: finds nothing, logged', async () => {
    slack.leaveChannel('C0AUDIT');
    const find = taggedMessageFinder(client, 'C0AUDIT', log);
    expect((await find('im_admin_run', ['b1'], clock)).size).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('could not be read');
  });
});
