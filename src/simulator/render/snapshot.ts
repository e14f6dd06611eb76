import type { FakePerson } from '../people.js';
import { stepCatalog, type StepDefinition } from '../step-catalog.js';
import { SLACKBOT, type SimMessage, type SimModal, type StepRun, type Workspace } from '../workspace.js';
import { renderBlocks, renderMessageText, textObject, type RenderContext } from './blocks.js';
import type { MrkdwnContext } from './mrkdwn.js';
import type { ViewNode } from './view-node.js';

/** What one person's browser shows: the channels they can see, the messages in them, their modal. Sent as JSON. */
export type Snapshot = {
  version: number;
  me: string;
  people: { id: string; name: string; role: string; locale: string; note?: string }[];
  channels: { id: string; name: string; dm: boolean; note?: string }[];
  /** The channel the page opens on. */
  defaultChannel: string;
  messages: RenderedMessage[];
  modal: RenderedModal | null;
  /** Example commands for the page's quick buttons. */
  examples: string[];
  /** The person's Home tab as the app last published it; null before it was ever opened. */
  home: ViewNode[] | null;
  /** The Workflow Builder steps the app declares, and the person's runs of them, newest first. */
  steps: { catalog: readonly StepDefinition[]; runs: Omit<StepRun, 'user'>[] };
};

export type RenderedMessage = {
  id: string;
  channel: string;
  ts: string;
  author: { id: string; name: string; bot: boolean };
  ephemeral: boolean;
  kind: SimMessage['kind'];
  via: string;
  body: ViewNode[];
};

export type RenderedModal = {
  id: string;
  version: number;
  callbackId: string;
  title: ViewNode[];
  submit: ViewNode[] | null;
  close: ViewNode[];
  problem: string | null;
  body: ViewNode[];
  /** How many modals are stacked under this one. */
  depth: number;
};

export type SnapshotExtras = {
  examples: string[];
  defaultChannel: string;
  /** A line about a person shown in the user switcher (e.g. "member of @im-writers"), by user id. */
  personNotes?: Record<string, string>;
};

export function renderSnapshot(workspace: Workspace, me: string, extras: SnapshotExtras): Snapshot {
  const context = mrkdwnContext(workspace);
  const visible = (message: SimMessage) =>
    (message.visibleTo === undefined || message.visibleTo === me) && isListed(workspace.channels.get(message.channel)?.dmWith, me);
  const stack = workspace.modals.of(me);
  const top = stack.at(-1);
  return {
    version: workspace.version,
    me,
    people: workspace.people
      .filter((person) => person.role !== 'bot')
      .map((person) => ({ ...personSummary(person), ...(extras.personNotes?.[person.id] ? { note: extras.personNotes[person.id] } : {}) })),
    channels: [...workspace.channels.values()]
      .filter((channel) => isListed(channel.dmWith, me))
      .map((channel) => ({
        id: channel.id,
        name: channel.name,
        dm: channel.dmWith !== undefined,
        ...(channel.note ? { note: channel.note } : {}),
      })),
    defaultChannel: extras.defaultChannel,
    messages: workspace.messages.filter(visible).map((message) => renderMessage(workspace, message, context)),
    modal: top ? renderModal(top, stack.length - 1, context) : null,
    examples: extras.examples,
    home: homeOf(workspace, me, context),
    steps: {
      catalog: stepCatalog,
      runs: workspace.stepRuns
        .filter((run) => run.user === me)
        .slice(-10)
        .reverse()
        .map(({ user: _user, ...run }) => run),
    },
  };
}

function homeOf(workspace: Workspace, me: string, context: MrkdwnContext): ViewNode[] | null {
  const view = workspace.homes.get(me);
  return view && Array.isArray(view.blocks) ? renderBlocks(view.blocks, context) : null;
}

const isListed = (dmWith: string | undefined, me: string) => dmWith === undefined || dmWith === me;

function personSummary(person: FakePerson): Snapshot['people'][number] {
  return { id: person.id, name: person.name, role: person.role, locale: person.locale ?? 'en-US' };
}

export function mrkdwnContext(workspace: Workspace): MrkdwnContext {
  return {
    userName: (id) => (id === workspace.botUserId ? 'im-admin' : workspace.person(id)?.name),
    channelName: (id) => workspace.channels.get(id)?.name,
  };
}

function renderMessage(workspace: Workspace, message: SimMessage, context: MrkdwnContext): RenderedMessage {
  const bot = message.author === workspace.botUserId;
  const slackbot = message.author === SLACKBOT;
  const body = message.blocks && message.blocks.length > 0 ? renderBlocks(message.blocks, context) : renderMessageText(message, context);
  return {
    id: message.id,
    channel: message.channel,
    ts: message.ts,
    author: {
      id: message.author,
      name: bot ? 'im-admin' : slackbot ? 'Slackbot' : (workspace.person(message.author)?.name ?? message.author),
      bot,
    },
    ephemeral: message.visibleTo !== undefined,
    kind: message.kind,
    via: message.via,
    body,
  };
}

function renderModal(modal: SimModal, depth: number, context: MrkdwnContext): RenderedModal {
  const view = modal.view;
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const render: RenderContext = {
    ...context,
    ...(modal.errors ? { errors: modal.errors } : {}),
    ...(modal.typed ? { typed: modal.typed } : {}),
  };
  const hasInputs = blocks.some((block) => (block as { type?: unknown }).type === 'input');
  return {
    id: modal.id,
    version: modal.version,
    callbackId: typeof view.callback_id === 'string' ? view.callback_id : '',
    title: textObject(view.title, context),
    // Slack refuses a modal with inputs and no submit; when there is none, the simulator shows none.
    submit: view.submit ? textObject(view.submit, context) : hasInputs ? [{ text: 'Submit' }] : null,
    close: view.close ? textObject(view.close, context) : [{ text: 'Cancel' }],
    problem: modal.problem ?? null,
    body: renderBlocks(blocks, render),
    depth,
  };
}
