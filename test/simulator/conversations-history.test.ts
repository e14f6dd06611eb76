import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';

/** conversations.history and message metadata, as the app's search for a message a crashed process posted uses them. */
describe('local Slack Web API: a channel history', () => {
  let slack: SlackApi;
  let client: webApi.WebClient;
  let clock: number;

  beforeEach(async () => {
    clock = Date.UTC(2026, 11, 7, 12);
    slack = await startSlackApi({ now: () => clock });
    client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(() => slack.close());

  const tagged = (id: string) => ({ event_type: 'im_admin_audit_entry', event_payload: { id } });
  async function post(text: string, extra: Record<string, unknown> = {}) {
    clock += 1000;
    const answer = await client.chat.postMessage({ channel: 'C1', text, ...extra });
    return answer.ts!;
  }

  it('lists the channel newest first since `oldest` (exclusive), with metadata only when asked, without thread replies', async () => {
    const first = await post('one', { metadata: tagged('e1') });
    const second = await post('two', { metadata: tagged('e2') });
    await post('a reply', { thread_ts: second });
    const broadcast = await post('a broadcast reply', { thread_ts: second, reply_broadcast: true });
    await client.chat.postMessage({ channel: 'C2', text: 'elsewhere' });

    const plain = await client.conversations.history({ channel: 'C1' });
    expect(plain.messages?.map((m) => m.text)).toEqual(['a broadcast reply', 'two', 'one']);
    expect(plain.messages?.some((m) => 'metadata' in m)).toBe(false);
    expect(plain.has_more).toBe(false);

    const since = await client.conversations.history({ channel: 'C1', oldest: first, include_all_metadata: true });
    expect(since.messages?.map((m) => [m.ts, m.metadata?.event_payload])).toEqual([
      [broadcast, undefined],
      [second, { id: 'e2' }],
    ]);
    const inclusive = await client.conversations.history({ channel: 'C1', oldest: first, inclusive: true, latest: second });
    expect(inclusive.messages?.map((m) => m.text)).toEqual(['two', 'one']);
  });

  it('pages with limit and the cursor until has_more is false', async () => {
    for (let n = 1; n <= 5; n += 1) await post(`m${n}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.conversations.history({ channel: 'C1', limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...(page.messages ?? []).map((m) => m.text!));
      cursor = page.has_more ? page.response_metadata?.next_cursor : undefined;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    expect(pages).toBe(3);
    await expect(client.conversations.history({ channel: 'C1', cursor: 'bm9wZQ==' })).rejects.toMatchObject({
      data: { error: 'invalid_cursor' },
    });
  });

  it('keeps the metadata through chat.update', async () => {
    const ts = await post('running', { metadata: tagged('b1') });
    await client.chat.update({ channel: 'C1', ts, text: 'finished' });
    const history = await client.conversations.history({ channel: 'C1', include_all_metadata: true });
    expect(history.messages?.[0]).toMatchObject({ text: 'finished', metadata: tagged('b1') });
  });

  it('refuses as Slack does: missing_scope naming the scope, not_in_channel', async () => {
    await post('one');
    slack.setScopes(['chat:write', 'channels:history']);
    await expect(client.conversations.history({ channel: 'G1' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'groups:history' },
    });
    slack.setScopes(['chat:write']);
    await expect(client.conversations.history({ channel: 'C1' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'channels:history' },
    });
    slack.setScopes(['chat:write', 'channels:history']);
    slack.leaveChannel('C1');
    await expect(client.conversations.history({ channel: 'C1' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
  });

  it('holds an answer: the message is posted (in the history) while the poster still waits to hear so', async () => {
    const held = slack.holdAnswer('chat.postMessage', (args) => args.text === 'posted, unanswered');
    let answered = false;
    const posting = client.chat.postMessage({ channel: 'C1', text: 'posted, unanswered' }).then(() => (answered = true));
    await held.arrived;
    const history = await client.conversations.history({ channel: 'C1' });
    expect(history.messages?.map((m) => m.text)).toEqual(['posted, unanswered']);
    expect(answered).toBe(false);
    held.release();
    await posting;
    expect(answered).toBe(true);
  });
});
