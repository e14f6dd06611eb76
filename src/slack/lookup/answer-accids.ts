import { noteOutcome } from '../../metrics/outcome.js';
import type { UserLookup } from '../../nim/types.js';
import { authorize } from '../../policy/authorize.js';
import { logFailure } from '../interaction/failure-log.js';
import { renderError } from '../ui/errors.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';
import { localeFromSlack, type Locale } from '../i18n/catalog.js';
import type { InvalidAccid } from '../interaction/command-text.js';
import type { SlackMessage } from '../ui/message.js';
import { mayModerate, sanctionsShown, type LookupDeps } from './lookup-command.js';
import { renderUserCards } from './user-cards.js';
import { shortcutStrings } from './shortcut-strings.js';

/**
 * Answers accids found somewhere other than a command's text (a message the shortcut was used on, the Home's lookup
 * box) exactly as `/im-user` answers: the read permission, one NetEase read, the lookup audited before anything is
 * shown, cards with their mute status, who set each sanction here, and the buttons the person may use; personal
 * fields in full only for people who may change cards. `reply` sends the answer where only the person sees it.
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
  reply: (message: SlackMessage) => Promise<boolean>;
  correlationId: string;
  log: LookupDeps['logger'];
};

export async function answerAccids(deps: LookupDeps, ask: AccidsAnswer): Promise<void> {
  const read = await authorize(deps.directory, ask.userId, 'read', deps.access);
  const locale: Locale = localeFromSlack(read.person?.locale);
  if (!read.decision.allowed) {
    deps.metrics?.refused('read', read.decision.refusal.reason);
    noteOutcome('refused');
    await ask.reply(renderRefusal(read.decision.refusal, locale));
    return;
  }
  const s = shortcutStrings(locale);
  if (ask.accids.length === 0 && (ask.invalid ?? []).length === 0) {
    await ask.reply({ text: s.nothingFound, blocks: [section(s.nothingFound)] });
    return;
  }
  let lookup: UserLookup;
  try {
    lookup =
      ask.accids.length === 0
        ? { found: [], notFound: [] }
        : await deps.nim.getUinfos(ask.accids, { muteStatus: true, correlationId: ask.correlationId, allowCached: true });
    // Personal data is shown only when the audit log can say who saw it.
    if (ask.accids.length > 0)
      await deps.recordLookup?.({ actor: ask.userId, command: ask.command, accids: [...ask.accids], correlationId: ask.correlationId });
  } catch (error) {
    logFailure(ask.log, error, {}, 'lookup failed');
    await ask.reply(renderError(error, { locale, correlationId: ask.correlationId }));
    return;
  }
  const write = await authorize(deps.directory, ask.userId, 'write', deps.access);
  const reveal = write.decision.allowed;
  const canModerate = await mayModerate(deps, ask.userId);
  const sanctions = await sanctionsShown(deps, lookup, ask.log);
  const render = (withImages: boolean): SlackMessage => {
    const cards = renderUserCards({
      lookup,
      invalid: ask.invalid ?? [],
      locale,
      reveal,
      canEdit: reveal && deps.writeEnabled === true,
      canModerate,
      ...(sanctions ? { sanctions } : {}),
      withImages,
    });
    return ask.truncated ? { ...cards, blocks: [section(s.truncated(ask.accids.length)), ...(cards.blocks ?? [])] } : cards;
  };
  if (await ask.reply(render(true))) return;
  if (await ask.reply(render(false))) return;
  await ask.reply(renderError(new Error('Slack refused the answer'), { locale, correlationId: ask.correlationId }));
}
