import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderSnapshot, type Snapshot } from '../../src/simulator/render/snapshot.js';
import { textOf, type ViewNode } from '../../src/simulator/render/view-node.js';
import { slackSignature } from '../../src/simulator/sign-request.js';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';
import { createSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { Workspace } from '../../src/simulator/workspace.js';

/**
 * The simulator against a small scripted app on real HTTP: what arrives at /slack/events is checked the way Bolt
 * checks it, and the app answers through the local Slack exactly as the real one does (response_url, views.open,
 * chat.postMessage, response_action errors).
 */

type Arrival = { headers: Record<string, string | string[] | undefined>; raw: string; form: URLSearchParams };

const SECRET = 'test-signing-secret';
const people = [
  { id: 'U0ADMIN', name: 'Ada Admin', role: 'admin' as const },
  { id: 'U0MEMBER', name: 'Max Member', role: 'member' as const },
];

let slack: SlackApi;
let app: Server;
let arrivals: Arrival[];
let simulator: Simulator;
let workspace: Workspace;

async function callSlack(method: string, args: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(args),
  });
  return (await response.json()) as Record<string, unknown>;
}

const card = (name: string) => [
  { type: 'header', text: { type: 'plain_text', text: name } },
  { type: 'section', fields: [{ type: 'mrkdwn', text: `*Account ID*\n\`${name.toLowerCase()}\`` }] },
  {
    type: 'actions',
    elements: [{ type: 'button', action_id: 'card.edit', value: name.toLowerCase(), text: { type: 'plain_text', text: 'Edit card' } }],
  },
];

/** What the scripted app does with each request; answers with the HTTP body it returns. */
async function script(payloadOrCommand: Record<string, unknown>): Promise<string> {
  if (payloadOrCommand.command === '/cards') {
    void fetch(String(payloadOrCommand.response_url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'cards', blocks: [...card('Alice'), ...card('Bob')] }),
    });
    return '';
  }
  if (payloadOrCommand.command === '/hello') return JSON.stringify({ text: 'Hello *there*' });
  if (payloadOrCommand.command === '/slow') return new Promise(() => {});
  if (payloadOrCommand.type === 'block_actions') {
    const action = (payloadOrCommand.actions as Record<string, string>[])[0]!;
    await callSlack('views.open', {
      trigger_id: payloadOrCommand.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'edit_card',
        private_metadata: JSON.stringify({ accid: action.value }),
        title: { type: 'plain_text', text: 'Edit card' },
        submit: { type: 'plain_text', text: 'Save' },
        blocks: [
          {
            type: 'input',
            block_id: 'name',
            label: { type: 'plain_text', text: 'Nickname' },
            element: { type: 'plain_text_input', action_id: 'value', initial_value: 'Alice' },
          },
          {
            type: 'input',
            block_id: 'gender',
            label: { type: 'plain_text', text: 'Gender' },
            element: { type: 'static_select', action_id: 'value', options: [{ text: { type: 'plain_text', text: 'Female' }, value: '2' }] },
          },
        ],
      },
    });
    return '';
  }
  if (payloadOrCommand.type === 'view_submission') {
    const view = payloadOrCommand.view as {
      state: { values: Record<string, Record<string, { value?: string | null }>> };
      private_metadata: string;
    };
    const name = view.state.values.name?.value?.value;
    if (!name || name.length < 2) return JSON.stringify({ response_action: 'errors', errors: { name: 'At least 2 characters' } });
    await callSlack('chat.postMessage', { channel: 'C0AUDIT', text: `<@${(payloadOrCommand.user as { id: string }).id}> renamed ${name}` });
    return '';
  }
  return '';
}

beforeEach(async () => {
  arrivals = [];
  slack = await startSlackApi({ people });
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const form = new URLSearchParams(raw);
      arrivals.push({ headers: req.headers, raw, form });
      const signature = slackSignature(SECRET, Number(req.headers['x-slack-request-timestamp']), raw);
      if (req.url !== '/slack/events' || signature !== req.headers['x-slack-signature']) return void res.writeHead(401).end();
      const input = form.has('payload') ? (JSON.parse(form.get('payload')!) as Record<string, unknown>) : Object.fromEntries(form);
      void script(input).then((body) => {
        res.writeHead(200, body ? { 'content-type': 'application/json' } : {});
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const { port } = app.address() as AddressInfo;
  workspace = new Workspace(
    people,
    [
      { id: 'C0GENERAL', name: 'general' },
      { id: 'C0AUDIT', name: 'audit' },
    ],
    'U0IMADMINBOT',
  );
  simulator = createSimulator({
    workspace,
    slackApi: slack,
    app: { eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, timeoutMs: 1500 },
  });
});

afterEach(async () => {
  simulator.stop();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
  await slack.close();
});

const seen = (user: string): Snapshot => renderSnapshot(workspace, user, { examples: [], defaultChannel: 'C0GENERAL' });
const shown = (nodes: ViewNode[]) => textOf(nodes);
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

describe('the Slack simulator', () => {
  it('sends a slash command as a signed form post, with Slack escaping of the text', async () => {
    await simulator.type('U0ADMIN', 'C0GENERAL', '/hello a <b> & c');
    const { form, headers } = arrivals[0]!;
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(Object.fromEntries(form)).toMatchObject({
      command: '/hello',
      text: 'a &lt;b&gt; &amp; c',
      user_id: 'U0ADMIN',
      channel_id: 'C0GENERAL',
    });
    expect(form.get('response_url')).toMatch(new RegExp(`^${slack.url}/response/`));
  });

  it("shows a command's ack body and its response_url answer only to the person who ran it", async () => {
    await simulator.type('U0ADMIN', 'C0GENERAL', '/hello');
    await simulator.type('U0ADMIN', 'C0GENERAL', '/cards');
    await until(() => seen('U0ADMIN').messages.some((m) => shown(m.body).includes('Bob')));
    const mine = seen('U0ADMIN').messages;
    expect(mine.map((m) => [m.kind, m.ephemeral])).toEqual([
      ['command', true],
      ['message', true],
      ['command', true],
      ['message', true],
    ]);
    expect(shown(mine[1]!.body)).toBe('Hello there');
    expect(seen('U0MEMBER').messages).toEqual([]);
  });

  it('says the command failed, as Slack does, when the app does not answer', async () => {
    await simulator.type('U0ADMIN', 'C0GENERAL', '/slow');
    const notice = seen('U0ADMIN').messages.at(-1)!;
    expect(shown(notice.body)).toBe('/slow failed with the error "operation_timeout"');
    expect(notice.author).toMatchObject({ name: 'Slackbot', bot: false });
  });

  it('answers a command the app does not declare as Slack does, from Slackbot, without sending it', async () => {
    const declared = createSimulator({
      workspace,
      slackApi: slack,
      app: { eventsUrl: 'http://127.0.0.1:9/slack/events', signingSecret: SECRET },
      commands: ['/hello'],
    });
    try {
      expect(await declared.type('U0ADMIN', 'C0GENERAL', '/foo bar')).toBeUndefined();
      const [notice] = seen('U0ADMIN').messages;
      expect(notice).toMatchObject({ author: { id: 'USLACKBOT', name: 'Slackbot', bot: false }, ephemeral: true, kind: 'error' });
      expect(shown(notice!.body)).toMatch(
        /^\/foo is not a valid command\. In Slack, all messages that start with the "\/" character are interpreted as commands\./,
      );
      expect(seen('U0MEMBER').messages).toEqual([]);
      expect(arrivals).toEqual([]);
    } finally {
      declared.stop();
    }
  });

  it("refuses a message over Slack's 4,000 characters before sending anything, saying by how much", async () => {
    const reply = await simulator.type('U0ADMIN', 'C0GENERAL', `/hello ${'x'.repeat(10_000)}`);
    expect(reply).toEqual({
      refused: 'msg_too_long',
      message: "Your message is too long: 10,007 characters, 6,007 over Slack's limit of 4,000. Shorten it to send it.",
    });
    expect(arrivals).toEqual([]);
    expect(seen('U0ADMIN').messages).toEqual([]);
    await simulator.type('U0ADMIN', 'C0GENERAL', `/hello ${'x'.repeat(3993)}`);
    expect(arrivals).toHaveLength(1);
  });

  it('closes every modal of a person at once (a reload), telling the app of those that asked', async () => {
    workspace.modals.open(
      { user: 'U0ADMIN', channel: 'C0GENERAL' },
      { type: 'modal', callback_id: 'first', title: { type: 'plain_text', text: 'A' }, blocks: [] },
      false,
    );
    workspace.modals.open(
      { user: 'U0ADMIN', channel: 'C0GENERAL' },
      { type: 'modal', callback_id: 'second', notify_on_close: true, title: { type: 'plain_text', text: 'B' }, blocks: [] },
      true,
    );
    workspace.modals.open(
      { user: 'U0MEMBER', channel: 'C0GENERAL' },
      { type: 'modal', callback_id: 'theirs', title: { type: 'plain_text', text: 'C' }, blocks: [] },
      false,
    );
    await simulator.close('U0ADMIN', 'all');
    expect(seen('U0ADMIN').modal).toBeNull();
    expect(seen('U0MEMBER').modal).not.toBeNull();
    const closed = arrivals.map((a) => JSON.parse(a.form.get('payload')!) as { type: string; view: { callback_id: string } });
    expect(closed.map((p) => [p.type, p.view.callback_id])).toEqual([['view_closed', 'second']]);
  });

  it('opens a modal from a button, shows the errors the app returns under the field, then closes it on success', async () => {
    await simulator.type('U0ADMIN', 'C0GENERAL', '/cards');
    await until(() => seen('U0ADMIN').messages.length === 2);
    const message = seen('U0ADMIN').messages[1]!;
    await simulator.click('U0ADMIN', { messageId: message.id }, { actionId: 'card.edit', blockId: 'b', type: 'button', value: 'alice' });
    const click = JSON.parse(arrivals.at(-1)!.form.get('payload')!) as Record<string, unknown>;
    expect(click).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', is_ephemeral: true },
      actions: [{ action_id: 'card.edit', value: 'alice' }],
    });
    await until(() => seen('U0ADMIN').modal !== null);
    const modal = seen('U0ADMIN').modal!;
    expect(shown(modal.title)).toBe('Edit card');
    expect(seen('U0MEMBER').modal).toBeNull();

    await simulator.submit('U0ADMIN', modal.id, { name: { value: 'A' }, gender: { value: '2' } });
    const submission = JSON.parse(arrivals.at(-1)!.form.get('payload')!) as { view: Record<string, unknown> };
    expect(submission.view).toMatchObject({
      id: modal.id,
      callback_id: 'edit_card',
      private_metadata: '{"accid":"alice"}',
      state: {
        values: {
          name: { value: { type: 'plain_text_input', value: 'A' } },
          gender: { value: { type: 'static_select', selected_option: { value: '2' } } },
        },
      },
    });
    const withError = seen('U0ADMIN').modal!;
    expect(shown(withError.body)).toContain('At least 2 characters');
    expect(withError.version).toBeGreaterThan(modal.version);

    await simulator.submit('U0ADMIN', modal.id, { name: { value: 'Alicia' }, gender: { value: '' } });
    expect(seen('U0ADMIN').modal).toBeNull();
    await until(() => seen('U0MEMBER').messages.some((m) => m.channel === 'C0AUDIT'));
    expect(shown(seen('U0MEMBER').messages.at(-1)!.body)).toBe('@Ada Admin renamed Alicia');
  });
});
