import type { FakePerson } from './people.js';
import type { Received } from './recorder.js';
import { Modals } from './modals.js';
import { withBlockIds } from './render/blocks.js';

export type { SimModal } from './modals.js';

/**
 * The simulated workspace as the people in it see it: channels with their messages, ephemeral answers (each visible
 * to one person), and each person's open modals. It is built from what the app sends to the local Slack (Web API
 * calls, posts to response URLs) and from what the simulator itself asked the app (commands, clicks, submissions).
 */

export type SimChannel = {
  id: string;
  name: string;
  /** A DM between the app and one person is only listed for that person. */
  dmWith?: string;
  /** A line beside the name in the channel header (e.g. "the app's audit channel"). */
  note?: string;
};

export type SimMessage = {
  id: string;
  channel: string;
  ts: string;
  /** Who posted it: the app's bot user, or a person (a command echo). */
  author: string;
  /** Only this person sees it (an ephemeral answer, or the echo of their own slash command). */
  visibleTo?: string;
  kind: 'message' | 'command' | 'error';
  text?: string;
  blocks?: Record<string, unknown>[];
  mrkdwn?: boolean;
  /** How the message arrived, for the page's tooltip: `chat.postMessage`, `response_url`… */
  via: string;
};

/** Where a response_url or trigger_id came from: who acted, where, and on which message. */
export type Origin = { user: string; channel: string; messageId?: string };

const RESPONSE_URL_USES = 5;

/** Who Slack's own notices come from (an unknown command, an app that did not answer). */
export const SLACKBOT = 'USLACKBOT';

export class Workspace {
  readonly channels = new Map<string, SimChannel>();
  readonly messages: SimMessage[] = [];
  /** Each person's open modals. */
  readonly modals = new Modals(
    () => this.changed(),
    () => this.nextId('V'),
  );
  readonly #responseUrls = new Map<string, Origin & { uses: number }>();
  /** The app's posted messages by where the local Slack said they are (`channel ts`), for chat.update to find them. */
  readonly #posted = new Map<string, SimMessage>();
  readonly #triggers = new Map<string, Origin>();
  readonly #listeners = new Set<() => void>();
  #serial = 0;
  #version = 0;
  /** Each person's Home tab as the app last published it (views.publish). */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** Workflow Builder steps run from the Workflows panel, newest last, with how the app ended them. */
  readonly stepRuns: StepRun[] = [];

  constructor(
    readonly people: readonly FakePerson[],
    channels: readonly SimChannel[],
    readonly botUserId: string,
    private readonly now: () => number = Date.now,
  ) {
    for (const channel of channels) this.channels.set(channel.id, channel);
  }

  get version(): number {
    return this.#version;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  person(id: string): FakePerson | undefined {
    return this.people.find((person) => person.id === id);
  }

  nextId(prefix: string): string {
    return `${prefix}${++this.#serial}`;
  }

  /** Remember who a response_url belongs to, so posts to it land in the right place. */
  registerResponseUrl(id: string, origin: Origin): void {
    this.#responseUrls.set(id, { ...origin, uses: 0 });
  }

  registerTrigger(triggerId: string, origin: Origin): void {
    this.#triggers.set(triggerId, origin);
  }

  message(id: string): SimMessage | undefined {
    return this.messages.find((message) => message.id === id);
  }

  /** Adds a message; its `ts` is the one the local Slack gave it, when it gave one. */
  post(message: Omit<SimMessage, 'id' | 'ts'> & { ts?: string }): SimMessage {
    const id = this.nextId('m');
    const full: SimMessage = {
      ...message,
      id,
      ts: message.ts ?? `${(this.now() / 1000).toFixed(0)}.${String(this.#serial).padStart(6, '0')}`,
      ...(message.blocks ? { blocks: withBlockIds(message.blocks, `b${this.#serial}-`) } : {}),
    };
    this.ensureChannel(full.channel);
    this.messages.push(full);
    this.changed();
    return full;
  }

  /** Applies one thing the app sent to the local Slack. Failed calls (`ok: false`) change nothing, as in Slack. */
  apply(item: Received): void {
    if (item.kind === 'response') return this.#applyResponse(item.id, item.body);
    if (item.answer && !item.answer.ok) return;
    const args = item.args;
    const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const content = {
      ...(str(args.text) ? { text: str(args.text) } : {}),
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks as Record<string, unknown>[] } : {}),
      ...(args.mrkdwn === false || args.mrkdwn === 'false' ? { mrkdwn: false } : {}),
    };
    switch (item.method) {
      case 'chat.postMessage': {
        const channel = str(args.channel);
        if (!channel) return;
        const ts = str(item.answer?.ts);
        const posted = this.post({
          channel: this.#dmChannel(channel),
          author: this.botUserId,
          kind: 'message',
          via: 'chat.postMessage',
          ...(ts ? { ts } : {}),
          ...content,
        });
        if (ts) this.#posted.set(`${str(item.answer?.channel) ?? channel} ${ts}`, posted);
        return;
      }
      case 'chat.update': {
        // The local Slack found the message (the call succeeded): the same one changes in place.
        const message = this.#posted.get(`${str(args.channel) ?? ''} ${str(args.ts) ?? ''}`);
        if (!message) return;
        delete message.text;
        if (content.text) message.text = content.text;
        if (content.blocks) message.blocks = withBlockIds(content.blocks, `${message.id}u${this.version}-`);
        message.via = 'chat.postMessage, then chat.update';
        this.changed();
        return;
      }
      case 'chat.postEphemeral': {
        const channel = str(args.channel);
        const user = str(args.user);
        if (channel && user)
          this.post({ channel, author: this.botUserId, visibleTo: user, kind: 'message', via: 'chat.postEphemeral', ...content });
        return;
      }
      case 'views.open':
      case 'views.push': {
        const origin = this.#triggers.get(str(args.trigger_id) ?? '');
        const view = viewFrom(item.answer?.view ?? args.view);
        if (origin && view) this.modals.open(origin, view, item.method === 'views.push');
        return;
      }
      case 'views.publish': {
        const user = str(args.user_id);
        const view = viewFrom(item.answer?.view ?? args.view);
        if (user && view) {
          this.homes.set(user, view);
          this.changed();
        }
        return;
      }
      case 'functions.completeSuccess':
      case 'functions.completeError': {
        const run = this.stepRuns.find((r) => r.executionId === str(args.function_execution_id));
        if (!run) return;
        if (item.method === 'functions.completeSuccess') {
          run.status = 'completed';
          run.outputs = isRecord(args.outputs) ? args.outputs : {};
        } else {
          run.status = 'failed';
          run.error = str(args.error) ?? '';
        }
        this.changed();
        return;
      }
      case 'views.update': {
        const modal = this.modals.findAnywhere(str(args.view_id), str(args.external_id));
        const view = viewFrom(args.view);
        if (modal && view) this.modals.replaceView(modal, view);
        return;
      }
    }
  }

  changed(): void {
    this.#version++;
    for (const listener of this.#listeners) listener();
  }

  ensureChannel(id: string): SimChannel {
    let channel = this.channels.get(id);
    if (!channel) {
      channel = id.startsWith('D:') ? { id, name: 'im-admin', dmWith: id.slice(2) } : { id, name: id.toLowerCase() };
      this.channels.set(id, channel);
    }
    return channel;
  }

  /**
   * chat.postMessage to a user id posts in the app's DM with that person; so does a post to the DM's id the local
   * Slack answered with (D… for U…).
   */
  #dmChannel(channel: string): string {
    if (/^[UW][A-Z0-9]+$/.test(channel)) return `D:${channel}`;
    const person = /^D([A-Z0-9]+)$/.exec(channel) && this.people.find((p) => p.id.slice(1) === channel.slice(1));
    return person ? `D:${person.id}` : channel;
  }

  #applyResponse(id: string, body: Record<string, unknown>): void {
    const origin = this.#responseUrls.get(id);
    if (!origin || ++origin.uses > RESPONSE_URL_USES) return;
    const source = origin.messageId ? this.message(origin.messageId) : undefined;
    if (body.delete_original === true && source) {
      this.messages.splice(this.messages.indexOf(source), 1);
      this.changed();
      return;
    }
    const content = {
      ...(typeof body.text === 'string' && body.text !== '' ? { text: body.text } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks as Record<string, unknown>[] } : {}),
    };
    if (body.replace_original === true && source) {
      delete source.text;
      delete source.blocks;
      Object.assign(source, content, content.blocks ? { blocks: withBlockIds(content.blocks, `${source.id}r${origin.uses}-`) } : {});
      source.via = 'response_url (replace_original)';
      this.changed();
      return;
    }
    const inChannel = body.response_type === 'in_channel';
    this.post({
      channel: origin.channel,
      author: this.botUserId,
      ...(inChannel ? {} : { visibleTo: origin.user }),
      kind: 'message',
      via: 'response_url',
      ...content,
    });
  }
}

function viewFrom(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** One run of a workflow step from the simulator's Workflows panel. */
export type StepRun = {
  executionId: string;
  user: string;
  callbackId: string;
  inputs: Record<string, unknown>;
  status: 'running' | 'completed' | 'failed';
  outputs?: Record<string, unknown>;
  error?: string;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
