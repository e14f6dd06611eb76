import type { AppLogger } from '../../logger.js';
import { admitReaderReplying } from '../interaction/admit.js';
import type { InvalidAccid } from '../interaction/command-text.js';
import type { Reply } from '../interaction/reply.js';
import { section } from '../ui/text.js';
import { answerLookup } from './answer-lookup.js';
import type { LookupDeps } from './deps.js';
import { imUserCards } from './im-user.js';
import { shortcutStrings } from './shortcut-strings.js';

/**
 * Accids found somewhere other than a command's text (a message the shortcut was used on, the Home's lookup box),
 * answered by `/im-user`'s own flow (answerLookup) with every card's mute status; only saying so when nothing was
 * found, and that the message named more than one answer shows.
 */
export type AccidsAnswer = {
  userId: string;
  accids: readonly string[];
  /** Typed tokens that are not accids (the Home's box), shown as /im-user shows them. */
  invalid?: InvalidAccid[];
  /** More ids were found than one answer shows. */
  truncated?: boolean;
  /** How the person asked, for the audit trail. */
  command: string;
  /** Sends the answer where only the person sees it. */
  reply: Reply;
  correlationId: string;
  log: AppLogger;
};

export async function answerAccids(deps: LookupDeps, ask: AccidsAnswer): Promise<void> {
  const reader = await admitReaderReplying(deps, ask.userId, ask.reply, ask.log);
  if (!reader) return;
  const s = shortcutStrings(reader.locale);
  const invalid = ask.invalid ?? [];
  if (ask.accids.length === 0 && invalid.length === 0) {
    await ask.reply({ text: s.nothingFound, blocks: [section(s.nothingFound)] });
    return;
  }
  const cards = imUserCards(deps);
  await answerLookup(deps, {
    reader,
    accids: ask.accids,
    invalid,
    command: ask.command,
    muteStatus: true,
    revealToWriters: true,
    render: (input) => {
      const answer = cards(input);
      return ask.truncated ? { ...answer, blocks: [section(s.truncated(ask.accids.length)), ...(answer.blocks ?? [])] } : answer;
    },
    reply: ask.reply,
    correlationId: ask.correlationId,
    log: ask.log,
  });
}
