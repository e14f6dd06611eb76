import { commandRequest, postToApp, replyJson, type AppEndpoint, type AppReply } from './app-link.js';
import { escapeMentions } from './command-mentions.js';
import type { RequestOrigin } from './request-origin.js';
import { MESSAGE_MAX_CHARS, notACommand, tooLong, type Refused } from './slack-notices.js';
import { SLACKBOT, type Workspace } from './workspace.js';

/** The slash commands as the app's manifest declares them: which exist, and which have their mentions escaped. */
export type DeclaredCommands = {
  /** Slack answers any other itself. @default every command is sent to the app */
  commands?: readonly string[];
  /** `should_escape: true`: `@name` and `#channel` become `<@U…|name>` and `<#C…|name>`. @default none */
  escapedCommands?: readonly string[];
  /** User group id → handle, for `@handle` in escaped commands. @default none */
  usergroupHandles?: Readonly<Record<string, string>>;
};

/**
 * What a person typed in the message box, as Slack handles it: a plain message is posted as them; a slash command
 * the app declares is sent to it (its text escaped as Slack escapes it) and its ack shown; anything over Slack's limit
 * or an unknown command is answered by Slack itself, without the app.
 */
export function messageBox(
  workspace: Workspace,
  app: AppEndpoint,
  origin: RequestOrigin,
  declared: DeclaredCommands,
): (user: string, channel: string, typed: string) => Promise<AppReply | Refused | undefined> {
  const known = declared.commands ? new Set(declared.commands) : undefined;
  const escaped = new Set(declared.escapedCommands ?? []);
  const commandText = (command: string, typed: string) => {
    // Slack escapes &, < and > in command text; with should_escape, mentions too.
    const text = escapeText(typed);
    if (!escaped.has(command)) return text;
    const channels = [...workspace.channels.values()].map((c) => ({ id: c.id, name: c.name, dm: c.dmWith !== undefined }));
    return escapeMentions(text, {
      people: workspace.people,
      channels,
      ...(declared.usergroupHandles ? { usergroupHandles: declared.usergroupHandles } : {}),
    });
  };

  /** A command's ack body is shown like Slack shows it: a message, ephemeral unless `response_type: in_channel`. */
  const showAck = (user: string, channel: string, reply: AppReply): void => {
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
  };

  return async (user, channel, typed) => {
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
        team: origin.team,
        user: origin.userOf(user),
        channel: { id: channel, name },
        command: commandName,
        text: commandText(commandName, rest),
        responseUrl: origin.newResponseUrl(user, channel),
        triggerId: origin.newTrigger(user, channel),
      }),
    );
    if (reply.status !== 200) origin.failed(user, channel, commandName, reply);
    else showAck(user, channel, reply);
    return reply;
  };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
