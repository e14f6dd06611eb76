import { randomBytes } from 'node:crypto';
import {
  blockActionsRequest,
  commandRequest,
  postToApp,
  replyJson,
  viewRequest,
  type AppEndpoint,
  type AppReply,
  type ClickedElement,
  type Team,
} from './app-link.js';
import type { SlackApi } from './slack-api.js';
import { MESSAGE_MAX_CHARS, failedWith, notACommand, tooLong, type Refused } from './slack-notices.js';
import { escapeMentions, usernameOf } from './command-mentions.js';
import { isObject, stateValues, stringRecord, type Typed } from './view-state.js';
import { SLACKBOT, type Workspace } from './workspace.js';

/**
 * Plays Slack's part for the people in the browser: turns what they type and click into the requests Slack would send
 * the app, and turns the app's answers (HTTP acks, Web API calls, response_url posts) into what they would see.
 */

export type Simulator = {
  readonly workspace: Workspace;
  /**
   * Runs what was typed in the message box: a slash command, or a plain message posted as that person. Over Slack's
   * limit nothing is sent, and the refusal says why; an unknown command gets Slackbot's answer, as in Slack.
   */
  type(user: string, channel: string, text: string): Promise<AppReply | Refused | undefined>;
  click(user: string, target: { messageId?: string; viewId?: string }, element: ClickedElement): Promise<AppReply>;
  /**
   * Submits the person's modal with what they typed and chose (block_id → action_id → the text, or the value(s) of the
   * option(s) chosen), sent as Slack shapes `view.state.values`.
   */
  submit(user: string, viewId: string, typed: Typed): Promise<AppReply>;
  /** Keeps a file the person picked in a file_input, as Slack does on upload; the submission then names its id. */
  attachFile(user: string, name: string, content: string): { id: string };
  /** Closes one modal, or every modal of the person (`'all'`: the page was reloaded, as Slack's client forgets them). */
  close(user: string, viewId: string): Promise<void>;
  stop(): void;
};

export type SimulatorOptions = {
  workspace: Workspace;
  slackApi: SlackApi;
  app: AppEndpoint;
  /** @default { id: 'T0SIMULATE', domain: 'simulator' } */
  team?: Team;
  /**
   * The slash commands the app declares (its manifest): Slack answers any other itself, saying it is not a valid
   * command. @default every command is sent to the app
   */
  commands?: readonly string[];
  /**
   * The commands declared with `should_escape: true`: Slack turns `@name` and `#channel` in their text into
   * `<@U…|name>` and `<#C…|name>`. @default none (Slack's default is false)
   */
  escapedCommands?: readonly string[];
  /** User group id → handle, for `@handle` in escaped commands. @default none */
  usergroupHandles?: Readonly<Record<string, string>>;
};

export function createSimulator(options: SimulatorOptions): Simulator {
  const { workspace, slackApi, app } = options;
  const team = options.team ?? { id: 'T0SIMULATE', domain: 'simulator' };
  for (const item of slackApi.received) workspace.apply(item);
  const unsubscribe = slackApi.subscribe((item) => workspace.apply(item));

  const userOf = (id: string) => {
    const person = workspace.person(id);
    return { id, name: person ? usernameOf(person.name) : id };
  };
  const newTrigger = (user: string, channel: string, messageId?: string) => {
    const triggerId = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    workspace.registerTrigger(triggerId, { user, channel, ...(messageId ? { messageId } : {}) });
    return triggerId;
  };
  const newResponseUrl = (user: string, channel: string, messageId?: string) => {
    const id = randomBytes(10).toString('hex');
    workspace.registerResponseUrl(id, { user, channel, ...(messageId ? { messageId } : {}) });
    return slackApi.responseUrl(id);
  };
  /** Slack's own words when an app fails to answer a command or a click. */
  const failed = (user: string, channel: string, what: string, reply: AppReply) => {
    workspace.post({ channel, author: SLACKBOT, visibleTo: user, kind: 'error', via: 'simulator', text: failedWith(what, reply.status) });
  };
  const known = options.commands ? new Set(options.commands) : undefined;
  const escaped = new Set(options.escapedCommands ?? []);
  const commandText = (command: string, typed: string) => {
    // Slack escapes &, < and > in command text; with should_escape, mentions too.
    const text = escapeText(typed);
    if (!escaped.has(command)) return text;
    const channels = [...workspace.channels.values()].map((c) => ({ id: c.id, name: c.name, dm: c.dmWith !== undefined }));
    return escapeMentions(text, {
      people: workspace.people,
      channels,
      ...(options.usergroupHandles ? { usergroupHandles: options.usergroupHandles } : {}),
    });
  };

  return {
    workspace,

    async type(user, channel, typed) {
      const text = typed.trim();
      if (text === '') return undefined;
      if (text.length > MESSAGE_MAX_CHARS) return tooLong(text.length);
      const name = workspace.ensureChannel(channel).name;
      const command = /^(\/[\w-]+)(?:\s+([\s\S]*))?$/.exec(text);
      if (!command) {
        workspace.post({ channel, author: user, kind: 'message', via: 'typed', text: escapeText(text) });
        return undefined;
      }
      const [, commandName, rest = ''] = command as unknown as [string, string, string | undefined];
      if (known && !known.has(commandName)) {
        workspace.post({
          channel,
          author: SLACKBOT,
          visibleTo: user,
          kind: 'error',
          via: 'simulator',
          text: notACommand(escapeText(commandName)),
        });
        return undefined;
      }
      workspace.post({ channel, author: user, visibleTo: user, kind: 'command', via: 'typed', text: escapeText(text) });
      const reply = await postToApp(
        app,
        commandRequest({
          team,
          user: userOf(user),
          channel: { id: channel, name },
          command: commandName,
          text: commandText(commandName, rest),
          responseUrl: newResponseUrl(user, channel),
          triggerId: newTrigger(user, channel),
        }),
      );
      if (reply.status !== 200) failed(user, channel, commandName, reply);
      else showAck(user, channel, reply);
      return reply;
    },

    async click(user, target, element) {
      const modal = target.viewId ? workspace.modals.find(user, target.viewId) : undefined;
      const message = target.messageId ? workspace.message(target.messageId) : undefined;
      const channel = message?.channel ?? modal?.channel ?? 'C0GENERAL';
      const reply = await postToApp(
        app,
        blockActionsRequest({
          team,
          user: userOf(user),
          channelId: channel,
          triggerId: newTrigger(user, channel, message?.id),
          element,
          ...(message
            ? {
                message: {
                  ts: message.ts,
                  ephemeral: message.visibleTo !== undefined,
                  ...(message.text ? { text: message.text } : {}),
                  ...(message.blocks ? { blocks: message.blocks } : {}),
                },
                responseUrl: newResponseUrl(user, channel, message.id),
              }
            : {}),
          ...(modal ? { view: modal.view } : {}),
        }),
      );
      if (reply.status !== 200) failed(user, channel, 'This action', reply);
      return reply;
    },

    attachFile(user, name, content) {
      return { id: slackApi.putFile(name, content, user).id };
    },

    async submit(user, viewId, typed) {
      const modal = workspace.modals.find(user, viewId);
      if (!modal) return { status: 404, body: 'no such modal' };
      const values = stateValues(modal, typed, (id) => slackApi.file(id));
      const reply = await postToApp(
        app,
        viewRequest({
          type: 'view_submission',
          team,
          user: userOf(user),
          triggerId: newTrigger(user, modal.channel),
          view: modal.view,
          values,
        }),
      );
      if (reply.status !== 200) {
        workspace.modals.showProblem(modal, 'We had some trouble connecting. Try again?', values);
        return reply;
      }
      const answer = replyJson(reply);
      switch (answer?.response_action) {
        case 'errors':
          workspace.modals.showErrors(modal, stringRecord(answer.errors), values);
          break;
        case 'update':
          if (isObject(answer.view)) workspace.modals.replaceView(modal, answer.view);
          break;
        case 'push':
          if (isObject(answer.view)) workspace.modals.open(modal, answer.view, true);
          break;
        case 'clear':
          workspace.modals.close(user, 'all');
          break;
        default:
          workspace.modals.close(user, modal.id);
      }
      return reply;
    },

    async close(user, viewId) {
      const closing = viewId === 'all' ? [...workspace.modals.of(user)] : workspace.modals.of(user).filter((modal) => modal.id === viewId);
      if (closing.length === 0) return;
      workspace.modals.close(user, viewId);
      for (const modal of closing.filter((m) => m.view.notify_on_close === true)) {
        await postToApp(
          app,
          viewRequest({
            type: 'view_closed',
            team,
            user: userOf(user),
            triggerId: newTrigger(user, modal.channel),
            view: modal.view,
            values: {},
          }),
        );
      }
    },

    stop: unsubscribe,
  };

  /** A command's ack body is shown like Slack shows it: a message, ephemeral unless `response_type: in_channel`. */
  function showAck(user: string, channel: string, reply: AppReply): void {
    if (reply.body.trim() === '') return;
    const json = replyJson(reply);
    const content = json
      ? {
          ...(typeof json.text === 'string' ? { text: json.text } : {}),
          ...(Array.isArray(json.blocks) ? { blocks: json.blocks as Record<string, unknown>[] } : {}),
        }
      : { text: reply.body };
    if (!content.text && !content.blocks) return;
    const inChannel = json?.response_type === 'in_channel';
    workspace.post({
      channel,
      author: workspace.botUserId,
      ...(inChannel ? {} : { visibleTo: user }),
      kind: 'message',
      via: 'ack',
      ...content,
    });
  }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
