import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';

describe('local Slack Web API', () => {
  let slack: SlackApi;
  let client: webApi.WebClient;

  beforeEach(async () => {
    slack = await startSlackApi({
      people: [
        { id: 'U1', name: 'Li Ming', role: 'admin', locale: 'zh-CN' },
        { id: 'U2', name: 'Gus', role: 'single_channel_guest' },
      ],
      usergroups: { S1: ['U1'] },
    });
    client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(() => slack.close());

  it('answers auth.test so Bolt can start', async () => {
    const answer = await client.auth.test();
    expect(answer.ok).toBe(true);
    expect(answer.user_id).toBeTruthy();
  });

  it('describes people with their roles, and their locale only when asked', async () => {
    const withLocale = await client.users.info({ user: 'U1', include_locale: true });
    expect(withLocale.user).toMatchObject({ id: 'U1', is_admin: true, is_owner: false, locale: 'zh-CN' });
    const guest = await client.users.info({ user: 'U2' });
    expect(guest.user).toMatchObject({ is_restricted: true, is_ultra_restricted: true });
    expect(guest.user?.locale).toBeUndefined();
    await expect(client.users.info({ user: 'U404' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('holds a matching call until released, as a slow Slack would: later calls land first', async () => {
    const held = slack.hold('chat.postMessage', (args) => args.text === 'first');
    const first = client.chat.postMessage({ channel: 'C1', text: 'first' });
    expect((await held.arrived).text).toBe('first');
    await client.chat.postMessage({ channel: 'C1', text: 'second' });
    expect(slack.calls('chat.postMessage').map((call) => call.args.text)).toEqual(['second']);
    held.release();
    await expect(first).resolves.toMatchObject({ ok: true });
    expect(slack.calls('chat.postMessage').map((call) => call.args.text)).toEqual(['second', 'first']);
  });

  it('fails a method on request, then recovers', async () => {
    slack.fail('users.info', 'ratelimited', 1);
    await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({ data: { error: 'ratelimited' } });
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });

  it('lists user group members', async () => {
    await expect(client.usergroups.users.list({ usergroup: 'S1' })).resolves.toMatchObject({ users: ['U1'] });
    await expect(client.usergroups.users.list({ usergroup: 'S9' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });

  it('refuses a wrong token', async () => {
    const stranger = new webApi.WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('records posted messages with their blocks decoded, and lets a test await them', async () => {
    const arrival = slack.waitForCall('chat.postMessage', (call) => call.args.channel === 'C1');
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks });
    const call = await arrival;
    expect(posted.ts).toBeTruthy();
    expect(call.args.blocks).toEqual(blocks);
    expect(call.token).toBe(slack.botToken);
    await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' });
    expect(slack.calls('chat.postEphemeral')).toHaveLength(1);
  });

  it('updates a posted message in place: its new text and blocks are what a reader sees, the call is recorded', async () => {
    const running = [{ type: 'section', text: { type: 'mrkdwn', text: 'Mute: 0 of 5' } }];
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'Mute: 0 of 5', blocks: running });
    const reply = await client.chat.postMessage({ channel: 'C1', thread_ts: posted.ts!, text: 'accounts 1–5' });
    const finished = [{ type: 'section', text: { type: 'mrkdwn', text: 'Mute: 5 of 5 — 5 done' } }];
    const updated = await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'Mute: 5 of 5 — 5 done', blocks: finished });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts: posted.ts, text: 'Mute: 5 of 5 — 5 done' });
    expect(slack.message('C1', posted.ts!)).toMatchObject({
      text: 'Mute: 5 of 5 — 5 done',
      blocks: finished,
      edited: { user: 'U0IMADMINBOT' },
    });
    expect(slack.calls('chat.update').map((call) => call.args.blocks)).toEqual([finished]);
    // Blocks not sent are kept; an empty list removes them. A thread reply is updated like any message.
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'text only' });
    expect(slack.message('C1', posted.ts!)).toMatchObject({ text: 'text only', blocks: finished });
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'no blocks', blocks: [] });
    expect(slack.message('C1', posted.ts!)?.blocks).toEqual([]);
    await client.chat.update({ channel: 'C1', ts: reply.ts!, text: 'accounts 1–5: done' });
    expect(slack.message('C1', reply.ts!)).toMatchObject({ text: 'accounts 1–5: done', thread_ts: posted.ts });
  });

  it("refuses to update what Slack would: a missing message, another person's, no content, a user id, bad blocks", async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'original' });
    const refused = (args: Record<string, unknown>) => client.apiCall('chat.update', args).catch((error: { data: unknown }) => error.data);
    await expect(refused({ channel: 'C1', ts: '1.000999', text: 'x' })).resolves.toMatchObject({ error: 'message_not_found' });
    await expect(refused({ channel: 'C2', ts: posted.ts, text: 'x' })).resolves.toMatchObject({ error: 'message_not_found' });
    const theirs = slack.putMessage('C1', 'U1', 'a person wrote this');
    await expect(refused({ channel: 'C1', ts: theirs.ts, text: 'x' })).resolves.toMatchObject({ error: 'cant_update_message' });
    await expect(refused({ ts: posted.ts, text: 'x' })).resolves.toMatchObject({ error: 'channel_not_found' });
    await expect(refused({ channel: 'C1', ts: posted.ts })).resolves.toMatchObject({ error: 'no_text' });
    await expect(refused({ channel: 'C1', ts: posted.ts, blocks: [] })).resolves.toMatchObject({ error: 'no_text' });
    const divider = { type: 'divider' };
    await expect(
      refused({ channel: 'C1', ts: posted.ts, text: 'x', blocks: Array.from({ length: 51 }, () => divider) }),
    ).resolves.toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
    });
    await expect(refused({ channel: 'C1', ts: posted.ts, text: 'x', blocks: [divider, { text: 'untyped' }] })).resolves.toMatchObject({
      error: 'invalid_blocks',
      errors: ['must provide a string type [json-pointer:/blocks/1/type]'],
    });
    // None of them changed anything, and each was recorded with Slack's answer.
    expect(slack.message('C1', posted.ts!)).toMatchObject({ text: 'original' });
    expect(slack.message('C1', posted.ts!)?.edited).toBeUndefined();
    expect(slack.message('C1', theirs.ts)).toMatchObject({ text: 'a person wrote this', user: 'U1' });
    expect(slack.calls('chat.update').map((call) => call.answer?.error)).toEqual([
      'message_not_found',
      'message_not_found',
      'cant_update_message',
      'channel_not_found',
      'no_text',
      'no_text',
      'invalid_blocks',
      'invalid_blocks',
    ]);
  });

  it("posts to a user id in the app's DM with them, answers the DM's id, and updates it there only", async () => {
    const posted = await client.chat.postMessage({ channel: 'U1', text: 'your report' });
    expect(posted.channel).toMatch(/^D/);
    await expect(client.chat.update({ channel: 'U1', ts: posted.ts!, text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'your report, finished' });
    expect(slack.message(posted.channel!, posted.ts!)?.text).toBe('your report, finished');
    expect(slack.message('U1', posted.ts!)?.text).toBe('your report, finished');
  });

  it('opens and updates views', async () => {
    const opened = await client.views.open({
      trigger_id: 't1',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Edit' }, blocks: [] },
    });
    const id = opened.view?.id;
    expect(id).toBeTruthy();
    await expect(
      client.views.update({ view_id: id!, view: { type: 'modal', title: { type: 'plain_text', text: 'Edit' }, blocks: [] } }),
    ).resolves.toMatchObject({ view: { id } });
  });

  it("publishes a person's Home tab, keeps the last one, and refuses more than 100 blocks or a stale hash", async () => {
    const home = (n: number) => ({ type: 'home' as const, blocks: Array.from({ length: n }, () => ({ type: 'divider' as const })) });
    const first = await client.views.publish({ user_id: 'U1', view: home(2) });
    expect(first.view).toMatchObject({ type: 'home', id: expect.any(String), hash: expect.any(String) });
    expect(slack.homeView('U1')?.view).toEqual(home(2));
    await expect(client.views.publish({ user_id: 'U1', view: home(101) })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    await expect(client.views.publish({ user_id: 'U1', view: home(3), hash: 'stale' })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
    await expect(client.views.publish({ user_id: 'U1', view: home(3), hash: first.view!.hash! })).resolves.toMatchObject({
      view: { id: first.view!.id },
    });
    await expect(client.views.publish({ user_id: 'U404', view: home(1) })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    expect(slack.homeView('U1')?.view.blocks).toHaveLength(3);
  });

  it('ends a workflow step once, with outputs or an error, called with the workflow token it issued', async () => {
    const run = slack.startFunctionExecution('mute_im_accounts');
    const step = new webApi.WebClient(run.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await step.functions.completeSuccess({ function_execution_id: run.id, outputs: { muted_count: 2, report: 'ok' } });
    expect(slack.functionExecution(run.id)).toMatchObject({ status: 'completed', outputs: { muted_count: 2, report: 'ok' } });
    // Finished: neither a second ending nor the workflow token is accepted any more.
    await expect(client.functions.completeError({ function_execution_id: run.id, error: 'late' })).rejects.toMatchObject({
      data: { error: 'function_execution_not_found' },
    });
    await expect(step.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });

    const failing = slack.startFunctionExecution('block_im_account');
    await client.functions.completeError({ function_execution_id: failing.id, error: 'You may not moderate' });
    expect(slack.functionExecution(failing.id)).toMatchObject({ status: 'failed', error: 'You may not moderate' });
    await expect(client.functions.completeSuccess({ function_execution_id: 'Fx404', outputs: {} })).rejects.toMatchObject({
      data: { error: 'function_execution_not_found' },
    });
  });

  it('takes response_url posts, five at most, like Slack', async () => {
    const url = slack.responseUrl('r1');
    const waiting = slack.waitForResponse('r1');
    const post = (n: number) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `n${n}` }) });
    expect((await post(1)).status).toBe(200);
    expect((await waiting).body.text).toBe('n1');
    for (let n = 2; n <= 5; n++) expect((await post(n)).status).toBe(200);
    expect((await post(6)).status).toBe(404);
    expect(slack.responses('r1')).toHaveLength(6);
  });

  it('rejects a wait that nothing answers, naming what it waited for', async () => {
    await expect(slack.waitForResponse('never', undefined, 50)).rejects.toThrow(/response_url never/);
  });
});
