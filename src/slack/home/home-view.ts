import type { ActionsBlock, Button, HomeView, KnownBlock } from '@slack/types';
import type { StandingSanction, HistoryItem } from '../../audit/store/contract.js';
import { utcMinute } from '../../moderation/duration.js';
import { homeIds, moderationActionIds } from '../ids.js';
import { actorMention, code, context, header, plain, section, untrusted } from '../ui/text.js';
import type { Locale } from '../i18n/catalog.js';
import { homeStrings, untilText, type HomeStrings } from './strings.js';

/**
 * The App Home as a pure function of what the person may see: the lookup box and help for everyone who may look up;
 * for moderators, the sanctions made through im-admin that stand (timed ones first, with when they lift, each with
 * Lift now and, for mutes, Extend…), pending approvals when there are any, and their own recent actions. Paged, so
 * that a view stays well within Slack's 100 blocks. Every value from NetEase or a person is escaped; card edits show
 * which fields changed, never their values.
 */

/** Sanctions per page: two blocks each, so a full page stays near 40 blocks. */
export const HOME_PAGE_SIZE = 10;
/** Slack refuses a view with more blocks. */
export const HOME_MAX_BLOCKS = 100;

/** A request waiting for a second person (IM_APPROVAL_FOR): what, who asked, when it expires (epoch ms). */
export type HomeApproval = { action: string; requestedBy: string; expiresAt: number };

export type HomeInput = {
  locale: Locale;
  /** Epoch ms: lift times are said relative to it. */
  now: number;
  /** The person may look up accounts (everything else needs this too). */
  canLookup: boolean;
  /** Present when the person may moderate and moderation is wired. */
  moderation?: {
    /** The audit store's answer, or `unavailable` when it could not be read. */
    standing: readonly StandingSanction[] | 'unavailable';
    /** 0-based; out of range is brought back in. */
    page: number;
    approvals?: readonly HomeApproval[];
    /** The person's own recent changes and refusals, newest first. */
    mine: readonly HistoryItem[] | 'unavailable';
  };
};

export function renderHome(input: HomeInput): HomeView {
  const s = homeStrings(input.locale);
  const blocks: KnownBlock[] = [header(s.title)];
  if (!input.canLookup) return { type: 'home', blocks: [...blocks, section(s.refused)] };
  blocks.push(context(s.intro), ...lookupBox(s));
  if (input.moderation) blocks.push({ type: 'divider' }, ...moderationBlocks(s, input, input.moderation));
  blocks.push({ type: 'divider' }, context(s.help));
  return { type: 'home', blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}

function lookupBox(s: HomeStrings): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: homeIds.lookupBlock,
      optional: true,
      label: plain(s.lookupLabel),
      element: { type: 'plain_text_input', action_id: homeIds.lookupInput, placeholder: plain(s.lookupPlaceholder, 150), max_length: 2000 },
    },
    { type: 'actions', elements: [button(s.lookupButton, homeIds.lookup, 'lookup', 'primary')] },
  ];
}

function moderationBlocks(s: HomeStrings, input: HomeInput, moderation: NonNullable<HomeInput['moderation']>): KnownBlock[] {
  const blocks: KnownBlock[] = [header(s.standingTitle)];
  if (moderation.standing === 'unavailable') {
    blocks.push(section(s.storeDown));
  } else if (moderation.standing.length === 0) {
    blocks.push(section(s.standingNone));
  } else {
    const pages = Math.ceil(moderation.standing.length / HOME_PAGE_SIZE);
    const page = Math.min(Math.max(0, moderation.page), pages - 1);
    for (const item of moderation.standing.slice(page * HOME_PAGE_SIZE, (page + 1) * HOME_PAGE_SIZE)) {
      blocks.push(...sanctionBlocks(s, item, input.now));
    }
    blocks.push(context(`${s.page(page + 1, pages)} · ${s.standingNote}`));
    const pager = [
      ...(page > 0 ? [button(s.previous, homeIds.page, String(page - 1))] : []),
      ...(page < pages - 1 ? [button(s.next, homeIds.page, String(page + 1))] : []),
    ];
    if (pager.length > 0) blocks.push({ type: 'actions', block_id: 'home.pager', elements: pager });
  }
  if (moderation.approvals && moderation.approvals.length > 0) {
    blocks.push(header(s.approvalsTitle));
    blocks.push(
      section(
        moderation.approvals
          .map((a) => `• ${s.approval(code(a.action, 40), actorMention(a.requestedBy), untilText(s, a.expiresAt, input.now))}`)
          .join('\n'),
      ),
    );
  }
  blocks.push(header(s.mineTitle));
  if (moderation.mine === 'unavailable') blocks.push(section(s.storeDown));
  else if (moderation.mine.length === 0) blocks.push(section(s.mineNone));
  else blocks.push(section(moderation.mine.map((item) => `• ${mineLine(s, item)}`).join('\n')));
  return blocks;
}

function sanctionBlocks(s: HomeStrings, item: StandingSanction, now: number): KnownBlock[] {
  const { intent } = item;
  const accid = code(intent.target.accid, 64);
  const what =
    item.liftAt !== undefined
      ? s.timed(accid, untilText(s, item.liftAt, now), utcMinute(item.liftAt))
      : intent.action === 'block'
        ? s.blocked(accid)
        : s.untimedMute(accid);
  const reason = intent.sanction?.reason ? `\n${s.reason(untrusted(intent.sanction.reason, 500))}` : '';
  const text = `${what}\n${s.by(actorMention(intent.actor), utcMinute(Date.parse(intent.at)))}${reason}`;
  const lift = intent.action === 'block' ? moderationActionIds.unblock : moderationActionIds.unmute;
  const elements: Button[] = [button(s.liftNow, lift, intent.target.accid, 'danger')];
  // Extending a mute is muting again: the new end replaces the pending lift.
  if (intent.action === 'mute') elements.push(button(s.extend, moderationActionIds.mute, intent.target.accid));
  const actions: ActionsBlock = { type: 'actions', block_id: `home.sanction.${item.sanctionId}`.slice(0, 255), elements };
  return [section(text), actions];
}

function mineLine(s: HomeStrings, item: HistoryItem): string {
  if (item.kind === 'refusal') {
    const r = item.refusal;
    return `*${s.action[r.action]}* ${code(r.target.accid, 64)} — ${s.outcome.refused} · ${utcMinute(Date.parse(r.at))}`;
  }
  const { intent, outcome } = item;
  const fields =
    intent.action === 'update_user_card' || intent.action === 'qchat_update_member'
      ? ` (${Object.keys(intent.changes)
          .map((f) => code(f, 32))
          .join(', ')})`
      : '';
  const status = outcome ? s.outcome[outcome.status] : s.outcome.in_flight;
  return `*${s.action[intent.action]}* ${code(intent.target.accid, 64)}${fields} — ${status} · ${utcMinute(Date.parse(intent.at))}`;
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: plain(text, 75), action_id: actionId, value, ...(style ? { style } : {}) };
}
