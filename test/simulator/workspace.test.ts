import { describe, expect, it } from 'vitest';
import type { Received } from '../../src/simulator/recorder.js';
import { Workspace } from '../../src/simulator/workspace.js';

const people = [
  { id: 'U0ADMIN', name: 'Ada Admin', role: 'admin' as const },
  { id: 'U0MEMBER', name: 'Max Member', role: 'member' as const },
];
const newWorkspace = () => new Workspace(people, [{ id: 'C0GENERAL', name: 'general' }], 'U0BOT', () => 1_700_000_000_000);
const response = (id: string, body: Record<string, unknown>): Received => ({ kind: 'response', id, body, receivedAt: 0 });
const api = (method: string, args: Record<string, unknown>, answer: Record<string, unknown> = { ok: true }): Received => ({
  kind: 'api',
  method,
  args,
  token: 'xoxb',
  receivedAt: 0,
  answer: answer as { ok: boolean },
});

describe('the simulated workspace', () => {
  it('puts response_url answers where Slack would: ephemeral by default, in the channel when asked', () => {
    const ws = newWorkspace();
    ws.registerResponseUrl('r1', { user: 'U0ADMIN', channel: 'C0GENERAL' });
    ws.apply(response('r1', { text: 'just for you' }));
    ws.apply(response('r1', { text: 'for everyone', response_type: 'in_channel' }));
    expect(ws.messages.map((m) => [m.text, m.visibleTo])).toEqual([
      ['just for you', 'U0ADMIN'],
      ['for everyone', undefined],
    ]);
  });

  it('replaces or deletes the message a button sat in, and ignores a response_url used more than 5 times', () => {
    const ws = newWorkspace();
    const cards = ws.post({ channel: 'C0GENERAL', author: 'U0BOT', visibleTo: 'U0ADMIN', kind: 'message', via: 'test', text: 'cards' });
    ws.registerResponseUrl('click', { user: 'U0ADMIN', channel: 'C0GENERAL', messageId: cards.id });
    ws.apply(response('click', { replace_original: true, text: 'replaced' }));
    expect(ws.messages.map((m) => m.text)).toEqual(['replaced']);
    for (let i = 0; i < 4; i++) ws.apply(response('click', { text: `extra ${i}` }));
    expect(ws.messages).toHaveLength(5);
    // The sixth use: Slack answers used_url and nothing happens.
    ws.apply(response('click', { delete_original: true }));
    expect(ws.messages).toHaveLength(5);
    ws.registerResponseUrl('again', { user: 'U0ADMIN', channel: 'C0GENERAL', messageId: cards.id });
    ws.apply(response('again', { delete_original: true }));
    expect(ws.messages.map((m) => m.text)).not.toContain('replaced');
    ws.apply(response('unknown', { text: 'from nowhere' }));
    expect(ws.messages.map((m) => m.text)).not.toContain('from nowhere');
  });

  it('shows postEphemeral to one person, postMessage to a user id in the app DM, and nothing for a failed call', () => {
    const ws = newWorkspace();
    ws.apply(api('chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0MEMBER', text: 'psst' }));
    ws.apply(api('chat.postMessage', { channel: 'U0ADMIN', text: 'a DM' }));
    ws.apply(api('chat.postMessage', { channel: 'C0GENERAL', text: 'refused' }, { ok: false, error: 'not_in_channel' }));
    expect(ws.messages.map((m) => [m.channel, m.text, m.visibleTo])).toEqual([
      ['C0GENERAL', 'psst', 'U0MEMBER'],
      ['D:U0ADMIN', 'a DM', undefined],
    ]);
    expect(ws.channels.get('D:U0ADMIN')?.dmWith).toBe('U0ADMIN');
  });

  it("changes the app's message in place on chat.update, found where the local Slack said it is; a refused one changes nothing", () => {
    const ws = newWorkspace();
    const running = [{ type: 'section', text: { type: 'mrkdwn', text: '0 of 2' } }];
    ws.apply(
      api('chat.postMessage', { channel: 'C0AUDIT', text: '0 of 2', blocks: running }, { ok: true, channel: 'C0AUDIT', ts: '1.000007' }),
    );
    ws.apply(api('chat.postMessage', { channel: 'U0ADMIN', text: 'your DM' }, { ok: true, channel: 'D0ADMIN', ts: '1.000008' }));
    expect(ws.messages.map((m) => [m.channel, m.ts])).toEqual([
      ['C0AUDIT', '1.000007'],
      ['D:U0ADMIN', '1.000008'],
    ]);
    const done = [{ type: 'section', text: { type: 'mrkdwn', text: '2 of 2 — 2 done' } }];
    ws.apply(api('chat.update', { channel: 'C0AUDIT', ts: '1.000007', text: 'nope' }, { ok: false, error: 'no_text' }));
    expect(ws.messages[0]?.text).toBe('0 of 2');
    ws.apply(api('chat.update', { channel: 'C0AUDIT', ts: '1.000007', text: '2 of 2 — 2 done', blocks: done }));
    ws.apply(api('chat.update', { channel: 'D0ADMIN', ts: '1.000008', text: 'your DM, finished' }));
    expect(ws.messages).toHaveLength(2);
    expect(ws.messages[0]).toMatchObject({
      text: '2 of 2 — 2 done',
      blocks: [{ text: { text: '2 of 2 — 2 done' } }],
      via: expect.stringMatching(/chat\.update/),
    });
    expect(ws.messages[1]).toMatchObject({ channel: 'D:U0ADMIN', text: 'your DM, finished' });
    // A reply the app threads under its DM, posted to the DM's id, lands in the same DM.
    ws.apply(
      api(
        'chat.postMessage',
        { channel: 'D0ADMIN', thread_ts: '1.000008', text: 'more' },
        { ok: true, channel: 'D0ADMIN', ts: '1.000009' },
      ),
    );
    expect(ws.messages[2]).toMatchObject({ channel: 'D:U0ADMIN', text: 'more' });
  });

  it('opens a modal for the person whose trigger it was, and updates it by view id or external id', () => {
    const ws = newWorkspace();
    ws.registerTrigger('t1', { user: 'U0ADMIN', channel: 'C0GENERAL' });
    const view = { type: 'modal', external_id: 'ext-1', title: { type: 'plain_text', text: 'Loading' }, blocks: [] };
    ws.apply(api('views.open', { trigger_id: 't1', view }, { ok: true, view: { ...view, id: 'V1' } }));
    expect(ws.modals.of('U0ADMIN').at(-1)?.id).toBe('V1');
    expect(ws.modals.of('U0MEMBER')).toEqual([]);
    ws.apply(api('views.update', { view_id: 'V1', view: { ...view, title: { type: 'plain_text', text: 'Edit' } } }));
    expect(ws.modals.of('U0ADMIN').at(-1)?.view.title).toEqual({ type: 'plain_text', text: 'Edit' });
    ws.apply(api('views.update', { external_id: 'ext-1', view: { ...view, title: { type: 'plain_text', text: 'Done' } } }));
    expect(ws.modals.of('U0ADMIN').at(-1)).toMatchObject({ id: 'V1', version: 3, view: { title: { text: 'Done' } } });
    ws.apply(api('views.open', { trigger_id: 'unknown', view }, { ok: true, view: { ...view, id: 'V2' } }));
    expect(ws.modals.of('U0ADMIN')).toHaveLength(1);
  });
});
