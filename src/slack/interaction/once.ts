import type { AuditTrail, OutcomeStatus } from '../../audit/index.js';
import type { HistoryItem } from '../../audit/store/contract.js';
import type { AppLogger } from '../../logger.js';
import { noteOutcome } from '../../metrics/outcome.js';
import { code, context, section } from '../ui/text.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';

/**
 * At most once: a slash command (by its trigger id) or a form submission (by its view id and hash) that changes
 * something is recorded in the audit store under the entry id it will act as, before anything is sent to NetEase. The
 * store gives each key to one caller only, in any process (the PostgreSQL store is shared by every replica; the file
 * store by the one process that holds its lock) and across restarts. A repeat — Slack retrying, a replayed request —
 * is answered "already done" with the first one's outcome and a link to its audit entry; nothing is sent.
 *
 * The key is claimed after the permission check and input validation (a refused or invalid request acts on nothing,
 * so trying again must stay possible) and before the read that precedes the write.
 */

export type OnceKey = { kind: 'trigger'; triggerId: string } | { kind: 'submission'; viewId: string; hash?: string | undefined };

export type Once = { first: true } | { first: false; firstId: string; item: HistoryItem | undefined };

/** The store's key for a command or submission. Bounded: Slack's ids are short, a forged one is cut. */
export function onceKey(key: OnceKey): string {
  return key.kind === 'trigger'
    ? `trigger:${key.triggerId.slice(0, 255)}`
    : `submission:${key.viewId.slice(0, 64)}:${(key.hash ?? '').slice(0, 128)}`;
}

/** Claims the key for entry `id`. Rejects with AuditStoreError when the store cannot say: then nothing may be sent. */
export async function claimOnce(trail: AuditTrail, key: OnceKey, id: string, log: AppLogger): Promise<Once> {
  const claimed = await trail.store.claimOnce(onceKey(key), id, trail.now());
  if (claimed.first) return { first: true };
  log.info({ key: onceKey(key), firstId: claimed.id }, 'repeat of a command or submission already acted on: nothing sent');
  noteOutcome('repeat');
  const item = await trail.store.entry(claimed.id).catch(() => undefined);
  return { first: false, firstId: claimed.id, item };
}

/** "Already done": what the first one came to, and where its audit entry is. */
export function renderAlreadyDone(once: Extract<Once, { first: false }>, locale: Locale): SlackMessage {
  const m = messages(locale);
  const status: OutcomeStatus | 'in_flight' | 'refused' | undefined =
    once.item?.kind === 'refusal' ? 'refused' : once.item?.kind === 'update' ? (once.item.outcome?.status ?? 'in_flight') : undefined;
  const posted = once.item?.posted;
  const where = posted
    ? m.once.auditLink(`https://slack.com/archives/${posted.channel}/p${posted.ts.replace('.', '')}`)
    : m.once.auditPending;
  const outcome =
    status === undefined
      ? m.once.outcomeUnknown
      : status === 'in_flight'
        ? m.once.inFlight
        : status === 'refused'
          ? m.once.refused
          : m.audit.status[status];
  const text = `${m.once.alreadyDone(code(once.firstId, 40))}\n${outcome}`;
  return { text: `${m.once.alreadyDone(once.firstId)} ${outcome}`.replace(/[*`]/g, ''), blocks: [section(text), context(where)] };
}

/**
 * Claims `key` for entry `id`; true when this is the first, to act. Otherwise the person has been answered (already
 * done, or that the audit store cannot say — then nothing is sent either) and false is returned.
 */
export async function firstTime(
  trail: AuditTrail,
  key: OnceKey,
  id: string,
  context: { locale: Locale; log: AppLogger; deliver: (message: SlackMessage) => Promise<unknown> },
): Promise<boolean> {
  let once: Once;
  try {
    once = await claimOnce(trail, key, id, context.log);
  } catch (error) {
    context.log.error({ err: error }, 'the audit store could not record the request key; nothing sent');
    noteOutcome('audit_error');
    const text = messages(context.locale).write.auditLogFailed;
    await context.deliver({ text, blocks: [section(text)] });
    return false;
  }
  if (once.first) return true;
  await context.deliver(renderAlreadyDone(once, context.locale));
  return false;
}
