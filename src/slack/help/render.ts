import type { KnownBlock } from '@slack/types';
import type { Config } from '../../config.js';
import { context, header, section } from '../ui/text.js';
import type { UsergroupHandles } from '../ui/usergroups.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { permissionText } from './permission.js';
import { commands, entriesOf, type CommandEntry, type CommandName } from './registry.js';

export type HelpInput = {
  /** The command `help` was typed after: its explanation and examples come first. */
  command: CommandName;
  locale: Locale;
  access: Config['access'];
  handles: UsergroupHandles;
  /**
   * Whether the update side is wired (an audit trail exists); without it, commands that change things or read the
   * audit history are left out.
   */
  writeEnabled: boolean;
};

/**
 * The help answer: what the command asked about does and how to type it, then every command the app answers, each
 * with what it needs in permission under this deployment's settings. Built from the registry (./registry.ts).
 */
export function renderHelp(input: HelpInput): SlackMessage {
  const m = messages(input.locale);
  const available = (entry: CommandEntry) => input.writeEnabled || entry.permission === 'read';
  const main = entriesOf(input.command)[0]!;
  const { title, body } = main.detail?.(m) ?? { title: main.help(m).usage, body: main.help(m).summary };
  const examples = entriesOf(input.command)
    .filter(available)
    .flatMap((entry) => entry.examples);
  const lines = commands.filter(available).map((entry) => {
    const { usage, summary } = entry.help(m);
    const needs = permissionText(m, entry.permission, input.access, input.handles);
    return section(`\`${escapeMrkdwn(usage)}\`\n${summary}\n${m.help.needs(needs)}`);
  });
  const blocks: KnownBlock[] = [
    header(title),
    section(body),
    section(`*${m.usage.examplesTitle}*\n\`\`\`${examples.join('\n')}\`\`\``),
    { type: 'divider' },
    section(`*${m.help.everyCommand}*`),
    ...lines,
    context(m.usage.helpHint),
  ];
  return { text: `${title}\n${body}`, blocks };
}
