import type { AppLogger } from '../../logger.js';
import { sanctionsOf, type AccountSanctions } from '../../moderation/sanction-info.js';
import type { UserLookup } from '../../nim/types.js';
import { authorize } from '../../policy/authorize.js';
import type { Locale } from '../i18n/catalog.js';
import type { Reader } from '../interaction/admit.js';
import type { InvalidAccid } from '../interaction/command-text.js';
import { replyFailure, replyWithImageFallback, type Reply } from '../interaction/reply.js';
import type { SlackMessage } from '../ui/message.js';
import type { LookupDeps } from './deps.js';
import { MAX_FULL_CARDS } from './user-cards.js';

/** What an answer is rendered from. */
export type RenderInput = {
  lookup: UserLookup;
  invalid: InvalidAccid[];
  locale: Locale;
  /** True only for a reader who may change cards, when the lookup asks for it. */
  reveal: boolean;
  /** The reader may moderate (and moderation is wired): show Mute…, Unmute, Block…, Unblock. */
  canModerate: boolean;
  /** Who set each shown account's mute or block (when the audit store can say). */
  sanctions?: ReadonlyMap<string, AccountSanctions>;
  withImages: boolean;
};

export type LookupAsk = {
  /** Who asked, already admitted to read. */
  reader: Reader;
  accids: readonly string[];
  /** What was asked that is not an accid, shown with the reason. */
  invalid: InvalidAccid[];
  /** How the person asked (`/im-user`, the shortcut, the Home's box), for the audit trail of who looked at whom. */
  command: string;
  /** Every account's mutes are read (else a moderator's only: their cards offer Unmute only where there is a mute). */
  muteStatus: boolean;
  /** Whether the answer shows personal fields in full to people who may change cards. */
  revealToWriters: boolean;
  render: (input: RenderInput) => SlackMessage;
  reply: Reply;
  correlationId: string;
  log: AppLogger;
};

/**
 * The one lookup flow, however the accids were asked for (`/im-user`, `/im-mute-status`, the message shortcut, the
 * Home's lookup box): one NetEase read, the lookup audited before anything is shown (it fails closed), personal
 * fields in full only for people who may change cards, who set each sanction here, and the answer sent again without
 * images when Slack refuses them.
 */
export async function answerLookup(deps: LookupDeps, ask: LookupAsk): Promise<void> {
  const { reader, accids, correlationId, log } = ask;
  const { locale } = reader;
  const failed = (error: unknown) => replyFailure(ask.reply, error, { locale, correlationId, log });
  let lookup: UserLookup = { found: [], notFound: [] };
  const canModerate = await mayModerate(deps, reader.person.id);
  const started = performance.now();
  try {
    if (accids.length > 0) {
      // A person's lookup may share a read in flight or one made moments ago (the app's own writes drop it at once).
      lookup = await deps.nim.getUinfos(accids, { muteStatus: ask.muteStatus || canModerate, correlationId, allowCached: true });
    }
  } catch (error) {
    await failed(error);
    return;
  }
  log.info(
    { asked: accids.length, found: lookup.found.length, invalid: ask.invalid.length, ms: Math.round(performance.now() - started) },
    'lookup answered',
  );
  if (deps.recordLookup && accids.length > 0) {
    try {
      await deps.recordLookup({ actor: reader.person.id, command: ask.command, accids: [...accids], correlationId });
    } catch (error) {
      // Personal data is shown only when the audit log can say who saw it.
      await failed(error);
      return;
    }
  }
  const reveal = ask.revealToWriters && (await mayWrite(deps, reader.person.id));
  const sanctions = await sanctionsShown(deps, lookup, log);
  const input = { lookup, invalid: ask.invalid, locale, reveal, canModerate, ...(sanctions ? { sanctions } : {}) };
  await replyWithImageFallback(ask.reply, (withImages) => ask.render({ ...input, withImages }), { locale, correlationId });
}

/**
 * Who set the shown accounts' mutes and blocks, from the audit store, when there are few enough to show in full (one
 * history query each). A store that cannot answer leaves the lines out; the lookup itself still answers.
 */
export async function sanctionsShown(
  deps: LookupDeps,
  lookup: UserLookup,
  log: AppLogger,
): Promise<ReadonlyMap<string, AccountSanctions> | undefined> {
  if (!deps.sanctionSource || lookup.found.length === 0 || lookup.found.length > MAX_FULL_CARDS) return undefined;
  try {
    return await sanctionsOf(deps.sanctionSource, lookup.found);
  } catch (error) {
    log.warn({ err: error }, 'could not read who set the sanctions shown');
    return undefined;
  }
}

/** Whether `userId` sees the moderation buttons: moderation is wired and they may moderate (asked again on click). */
export async function mayModerate(deps: LookupDeps, userId: string): Promise<boolean> {
  if (deps.moderateEnabled !== true) return false;
  const { decision } = await authorize(deps.directory, userId, 'moderate', deps.access);
  return decision.allowed;
}

async function mayWrite(deps: LookupDeps, userId: string): Promise<boolean> {
  const { decision } = await authorize(deps.directory, userId, 'write', deps.access);
  return decision.allowed;
}
