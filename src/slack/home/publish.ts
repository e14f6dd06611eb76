import type { webApi } from '@slack/bolt';
import type { AuditStore, HistoryItem, StandingSanction } from '../../audit/store/contract.js';
import type { Config } from '../../config.js';
import type { AppLogger } from '../../logger.js';
import { authorize } from '../../policy/authorize.js';
import type { Directory } from '../../policy/directory.js';
import { localeFromSlack } from '../i18n/catalog.js';
import { renderHome, type HomeApproval, type HomeInput } from './home-view.js';

/** What the App Home uses: the people directory and access rules, the audit store, and the bot's Web API client. */
export type HomeContext = {
  directory: Directory;
  access: Config['access'];
  logger: AppLogger;
  /** The bot's client (republishing happens outside any request). */
  client: webApi.WebClient;
  /** Epoch ms. */
  now: () => number;
  /** The audit store, when moderation is wired (it needs the audit trail): moderators see what stands and what they did. */
  store?: Pick<AuditStore, 'standingSanctions' | 'history'>;
  /** Requests waiting for a second person, when IM_APPROVAL_FOR names any action; absent: no approvals section. */
  approvals?: () => Promise<readonly HomeApproval[]>;
};

/** Standing sanctions read per publish: enough for 20 pages of timed and untimed ones. */
const STANDING_LIMIT = 100;
/** The person's own recent actions shown. */
const MINE_LIMIT = 8;

/** What this person may see, read now: permissions are asked at every publish, never remembered. */
export async function homeFor(context: HomeContext, userId: string, page: number): Promise<HomeInput> {
  const read = await authorize(context.directory, userId, 'read', context.access);
  const locale = localeFromSlack(read.person?.locale);
  const base = { locale, now: context.now(), canLookup: read.decision.allowed };
  if (!read.decision.allowed || !context.store) return base;
  const moderate = await authorize(context.directory, userId, 'moderate', context.access);
  if (!moderate.decision.allowed) return base;
  const [standing, mine, approvals] = await Promise.all([
    readOr(context, () => context.store!.standingSanctions({ limit: STANDING_LIMIT }), 'standing sanctions'),
    readOr(
      context,
      async (): Promise<HistoryItem[]> => (await context.store!.history({ actor: userId, limit: MINE_LIMIT })).items,
      'own actions',
    ),
    context.approvals ? context.approvals().catch(() => []) : Promise.resolve(undefined),
  ]);
  return { ...base, moderation: { standing, mine, page, ...(approvals ? { approvals } : {}) } };
}

/** Publishes the person's Home. Never throws: a failure is logged (the next open or change publishes again). */
export async function publishHome(context: HomeContext, userId: string, page = 0): Promise<boolean> {
  try {
    const view = renderHome(await homeFor(context, userId, page));
    await context.client.views.publish({ user_id: userId, view });
    return true;
  } catch (error) {
    context.logger.warn({ err: error, userId }, 'could not publish the App Home');
    return false;
  }
}

async function readOr<T extends readonly (StandingSanction | HistoryItem)[]>(
  context: HomeContext,
  read: () => Promise<T>,
  what: string,
): Promise<T | 'unavailable'> {
  try {
    return await read();
  } catch (error) {
    context.logger.warn({ err: error }, `App Home: could not read ${what}`);
    return 'unavailable';
  }
}
