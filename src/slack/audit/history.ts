import type { RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { AuditStore, HistoryItem } from '../../audit/store/contract.js';
import type { AppLogger } from '../../logger.js';
import { noteOutcome } from '../../metrics/outcome.js';
import { accidProblem } from '../../nim/accid.js';
import { authorize } from '../../policy/authorize.js';
import { renderAuditHistory, type HistorySubject } from './history-blocks.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';
import { localeFromSlack, messages, type Locale } from '../i18n/catalog.js';
import { unescapeSlackText } from '../ui/mrkdwn.js';
import { type ReadDeps } from '../interaction/deps.js';
import { slackUserId } from '../interaction/payloads.js';
import { answer, answerFailure } from '../interaction/reply.js';
import { usergroupHandles } from '../interaction/usergroup-handles.js';

/**
 * `/im-audit` and its "More" button share this: who may see the history (people who may edit cards or moderate,
 * checked on every page), the lookup recorded before anything is shown, one page from the audit store, the answer.
 */

export type AuditHistoryDeps = ReadDeps & {
  /** The audit store's history: every replica's, with the PostgreSQL store. */
  /** The trail's pages, and the batch records their bulk entries name (for the link to each batch's message). */
  auditHistory: Pick<AuditStore, 'history' | 'batch'>;
};

/** Entries per page. */
export const PAGE_SIZE = 10;

/** What a page asks for; also the "More" button's value (it comes back from the client: parsed again). */
const pageQuerySchema = z.union([
  z.object({ accid: z.string().min(1).max(128), before: z.string().min(1).max(200).optional() }).strict(),
  z.object({ actor: slackUserId, before: z.string().min(1).max(200).optional() }).strict(),
]);
export type PageQuery = z.infer<typeof pageQuerySchema>;

export function parsePageQuery(value: string | undefined): PageQuery | undefined {
  try {
    const parsed = pageQuerySchema.safeParse(JSON.parse(value ?? ''));
    if (!parsed.success) return undefined;
    if ('accid' in parsed.data && accidProblem(parsed.data.accid) !== undefined) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}

/**
 * `/im-audit` text: one account id, or one Slack mention (`<@U123|name>` as Slack sends it). `@name` as plain text is
 * a person Slack did not turn into a mention (typed without picking them from Slack's list), not an account.
 */
export function parseAuditText(
  text: string,
): { help: true } | { subject: HistorySubject } | { invalid: string } | { unresolvedMention: string } {
  const typed = text.trim();
  if (typed === '' || /^(help|-h|--help|\?|帮助)$/i.test(typed)) return { help: true };
  const mention = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/.exec(typed);
  if (mention) return { subject: { actor: mention[1]! } };
  const accid = unescapeSlackText(typed);
  if (/^@[^\s@]+$/.test(accid)) return { unresolvedMention: accid };
  if (/\s/.test(accid) || accidProblem(accid) !== undefined) return { invalid: accid };
  return { subject: { accid } };
}

/**
 * Answers one page of history to `userId`, or tells them why not. Nothing is shown unless the lookup could be
 * recorded (who looked at whose history is itself audited).
 */
export async function answerHistoryPage(
  deps: AuditHistoryDeps,
  request: { userId: string; query: PageQuery; respond: RespondFn; correlationId: string; log: AppLogger },
): Promise<void> {
  const { userId, query, respond, correlationId, log } = request;
  const subject: HistorySubject = 'accid' in query ? { accid: query.accid } : { actor: query.actor };
  const admitted = await mayReadHistory(deps, userId, respond, log, 'actor' in subject);
  if (!admitted) return;
  const { locale, mayRollBack } = admitted;
  try {
    await deps.recordLookup?.({
      actor: userId,
      command: 'accid' in subject ? '/im-audit' : `/im-audit <@${subject.actor}>`,
      accids: 'accid' in subject ? [subject.accid] : [],
      correlationId,
    });
    const page = await deps.auditHistory.history({ ...subject, limit: PAGE_SIZE, ...(query.before ? { before: query.before } : {}) });
    const more = page.next ? JSON.stringify({ ...subject, before: page.next }) : undefined;
    log.info({ shown: page.items.length, more: more !== undefined }, 'audit history answered');
    const groups = page.items.flatMap((item) =>
      item.kind === 'refusal' && 'usergroups' in item.refusal.refusal ? item.refusal.refusal.usergroups : [],
    );
    const handles = await usergroupHandles(deps.directory, groups, log);
    const batchLinks = await batchLinksOf(deps, page.items, log);
    const rendered = renderAuditHistory({
      subject,
      items: page.items,
      locale,
      handles,
      batchLinks,
      rollback: mayRollBack,
      ...(more ? { more } : {}),
    });
    await answer(respond, rendered, log);
  } catch (error) {
    await answerFailure(respond, error, { locale, correlationId, log });
  }
}

/**
 * Editors and moderators may read the history; anyone else is told why not (logged, not audited, like reads). Who is
 * both may roll a person back (`aboutPerson`: the page is a person's); the button's click checks again.
 */
async function mayReadHistory(
  deps: AuditHistoryDeps,
  userId: string,
  respond: RespondFn,
  log: AppLogger,
  aboutPerson: boolean,
): Promise<{ locale: Locale; mayRollBack: boolean } | undefined> {
  const asEditor = await authorize(deps.directory, userId, 'write', deps.access);
  const locale = localeFromSlack(asEditor.person?.locale);
  if (asEditor.decision.allowed && !aboutPerson) return { locale, mayRollBack: false };
  const asModerator = await authorize(deps.directory, userId, 'moderate', deps.access);
  if (asEditor.decision.allowed || asModerator.decision.allowed) {
    return { locale, mayRollBack: asEditor.decision.allowed && asModerator.decision.allowed };
  }
  const refusal = asEditor.decision.refusal;
  log.info({ refusal, err: asEditor.cause }, 'audit history refused');
  deps.metrics?.refused('read', refusal.reason);
  noteOutcome('refused');
  const lacking = refusal.reason === 'not_a_writer';
  const m = messages(locale);
  const message = lacking
    ? { text: m.auditHistory.notPermitted, blocks: [section(`*${m.refusal.title}*\n${m.auditHistory.notPermitted}`)] }
    : renderRefusal(refusal, locale);
  await answer(respond, message, log);
  return undefined;
}

/**
 * The audit channel message of each bulk action the page's entries are part of (batch id → permalink), read from the
 * batch records (one read per batch on the page); a batch not found, or posted without a link, shows its id instead.
 */
async function batchLinksOf(deps: AuditHistoryDeps, items: readonly HistoryItem[], log: AppLogger): Promise<Map<string, string>> {
  const ids = new Set(items.flatMap((item) => (item.kind === 'update' && item.intent.batch ? [item.intent.batch] : [])));
  const links = new Map<string, string>();
  for (const id of ids) {
    try {
      const permalink = (await deps.auditHistory.batch(id))?.posted?.permalink;
      if (permalink) links.set(id, permalink);
    } catch (error) {
      log.warn({ batch: id, err: error }, 'audit history: the batch record could not be read; its id is shown instead of a link');
    }
  }
  return links;
}
