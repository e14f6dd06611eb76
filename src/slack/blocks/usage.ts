import type { KnownBlock } from '@slack/types';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../message.js';
import { context, header, section } from './text.js';

export type Command = '/im-user' | '/im-mute-status' | '/qchat-nick';

/** Examples are the same in every language: they are what one types. */
const examples: Record<Command, string[]> = {
  '/im-user': ['/im-user alice', '/im-user alice bob, carol', '/im-user help'],
  '/im-mute-status': ['/im-mute-status alice', '/im-mute-status alice, bob'],
  '/qchat-nick': ['/qchat-nick 1234567890 alice Big Fish'],
};

function describe(m: Messages, command: Command): { title: string; body: string } {
  switch (command) {
    case '/im-user':
      return { title: m.usage.imUserTitle, body: m.usage.imUserBody };
    case '/im-mute-status':
      return { title: m.usage.muteStatusTitle, body: m.usage.muteStatusBody };
    case '/qchat-nick':
      return { title: m.usage.qchatNickTitle, body: m.usage.qchatNickBody };
  }
}

/** What a command does and how to type it: shown for `help`, or when the command is sent without text. */
export function renderUsage(command: Command, locale: Locale): SlackMessage {
  const m = messages(locale);
  const { title, body } = describe(m, command);
  const blocks: KnownBlock[] = [
    header(title),
    section(body),
    section(`*${m.usage.examplesTitle}*\n\`\`\`${examples[command].join('\n')}\`\`\``),
    context(m.usage.helpHint),
  ];
  return { text: `${title}\n${body}`, blocks };
}
