import type { ChainHead } from '../../audit/store/contract.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { context } from '../ui/text.js';

/** The chain head for the audit channel: one line anyone can compare with `npm run audit -- verify`. */
export function renderChainHead(head: ChainHead, locale: Locale = 'en'): SlackMessage {
  const text = messages(locale).audit.chainHead(head.count, head.hash, head.id === undefined ? undefined : escapeMrkdwn(head.id));
  return { text, blocks: [context(text)] };
}
