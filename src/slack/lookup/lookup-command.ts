import type { AllMiddlewareArgs, App, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { noteOutcome, trackCommand } from '../../metrics/outcome.js';
import type { UserLookup } from '../../nim/types.js';
import { authorize } from '../../policy/authorize.js';
import { sanctionsOf, type AccountSanctions, type SanctionSource } from '../../moderation/sanction-info.js';
import { MAX_FULL_CARDS } from './user-cards.js';
import { readCommandPayload, slashCommandPayload } from '../interaction/payloads.js';
import { parseAccidList, type InvalidAccid } from '../interaction/command-text.js';
import type { Locale } from '../i18n/catalog.js';
import { answerHelp } from '../help/answer.js';
import type { CommandName } from '../help/registry.js';
import type { SlackMessage } from '../ui/message.js';
import type { ReadDeps } from '../interaction/deps.js';
import { admitReader, type Reader } from '../interaction/admit.js';
import { answerFailure, answerWithImageFallback, yieldAfterAck } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';

/**
 * The shape shared by `/im-user` and `/im-mute-status`: ack at once, then authorize, parse the accids, look them up
 * and answer through `respond()` (ephemeral). NetEase may take seconds; Slack only waits 3.
 */

const commandPayload = slashCommandPayload.extend({ channel_id: z.string().min(1) });

/** What the lookup feature reads with: the read side, and what the audit trail adds to a card when there is one. */
export type LookupDeps = ReadDeps & {
  /** Moderation is wired (it needs the audit trail too): moderators get Mute…, Unmute, Block…, Unblock. */
  moderateEnabled: boolean;
  /** The audit store's history and lift schedule: cards and mute status say who set a sanction here. */
  sanctionSource?: SanctionSource;
  /** IM_ACCID_PATTERN, compiled: finds account ids in a message for the Look up IM accounts shortcut. */
  accidPattern: RegExp;
};

export type LookupSpec = {
  command: CommandName;
  muteStatus: boolean;
  /** Whether the answer shows personal fields in full to people who may change cards. */
  revealToWriters: boolean;
  render: (input: RenderInput) => SlackMessage;
  /** Takes the command over when it resolves true (e.g. `/im-user edit <accid>`); it acks itself then. */
  intercept?: (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => Promise<boolean>;
};

export type RenderInput = {
  lookup: UserLookup;
  invalid: InvalidAccid[];
  locale: Locale;
  /** True only for a reader who may change cards, when the spec asks for it. */
  reveal: boolean;
  /** The reader may moderate (and moderation is wired): show Mute…, Unmute, Block…, Unblock. */
  canModerate: boolean;
  /** Who set each shown account's mute or block (when the audit store can say). */
  sanctions?: ReadonlyMap<string, AccountSanctions>;
  withImages: boolean;
};

export function registerLookupCommand(app: App, deps: LookupDeps, spec: LookupSpec): void {
  app.command(spec.command, async (args) => {
    if (spec.intercept && (await spec.intercept(args))) return;
    const { command, ack, respond } = args;
    await ack();
    await yieldAfterAck();
    const { correlationId, log } = requestOf(args.context);
    await trackCommand(deps.metrics, spec.command, () => runLookup(command, respond, deps, spec, correlationId, log));
  });
}

async function runLookup(
  raw: unknown,
  respond: RespondFn,
  deps: LookupDeps,
  spec: LookupSpec,
  correlationId: string,
  log: ReadDeps['logger'],
): Promise<void> {
  const payload = await readCommandPayload(commandPayload, raw, { respond, correlationId, log });
  if (!payload) return;
  const reader = await admitReader(deps, payload.user_id, respond, log);
  if (!reader) return;
  const { locale } = reader;
  const typed = parseAccidList(payload.text);
  if (typed.help) {
    await answerHelp(deps, { command: spec.command, locale, respond, log });
    return;
  }
  if (typed.accids.length === 0 && typed.invalid.length > 0) noteOutcome('input_error');
  let lookup: UserLookup = { found: [], notFound: [] };
  const canModerate = await mayModerate(deps, reader.person.id);
  const started = performance.now();
  try {
    if (typed.accids.length > 0) {
      // A moderator's cards say where each account is muted, so Unmute is offered only where there is a mute. A
      // person's lookup may share a read in flight or one made moments ago (the app's own writes drop it at once).
      lookup = await deps.nim.getUinfos(typed.accids, { muteStatus: spec.muteStatus || canModerate, correlationId, allowCached: true });
    }
  } catch (error) {
    await answerFailure(respond, error, { locale, correlationId, log });
    return;
  }
  log.info(
    { asked: typed.accids.length, found: lookup.found.length, invalid: typed.invalid.length, ms: Math.round(performance.now() - started) },
    'lookup answered',
  );
  if (deps.recordLookup && typed.accids.length > 0) {
    try {
      await deps.recordLookup({ actor: reader.person.id, command: spec.command, accids: typed.accids, correlationId });
    } catch (error) {
      // Personal data is shown only when the audit log can say who saw it.
      await answerFailure(respond, error, { locale, correlationId, log });
      return;
    }
  }
  const reveal = spec.revealToWriters && (await mayWrite(deps, reader));
  const sanctions = await sanctionsShown(deps, lookup, log);
  const input = { lookup, invalid: typed.invalid, locale, reveal, canModerate, ...(sanctions ? { sanctions } : {}) };
  await answerWithImageFallback(respond, (withImages) => spec.render({ ...input, withImages }), { locale, correlationId, log });
}

/**
 * Who set the shown accounts' mutes and blocks, from the audit store, when there are few enough to show in full (one
 * history query each). A store that cannot answer leaves the lines out; the lookup itself still answers.
 */
export async function sanctionsShown(
  deps: LookupDeps,
  lookup: UserLookup,
  log: ReadDeps['logger'],
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

async function mayWrite(deps: LookupDeps, reader: Reader): Promise<boolean> {
  const { decision } = await authorize(deps.directory, reader.person.id, 'write', deps.access);
  return decision.allowed;
}
