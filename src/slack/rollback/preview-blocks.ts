import type { KnownBlock } from '@slack/types';
import type { RollbackPlan } from '../../undo/rollback-plan.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import { isPersonalKey, keyLabel, sharedValueText, valueText } from '../ui/account-values.js';
import { actionLabel, auditTime } from '../ui/audit-labels.js';
import { actorMention, code, context, section } from '../ui/text.js';
import { packLines } from './packed-lines.js';
import { previewItemsOf, type PreviewItem } from './preview-items.js';

/**
 * The preview of a rollback, before it is confirmed: how many changes over how many accounts, then each change newest
 * first with what its undo will set, or why it is skipped (someone else changed it since, …). As many as fit in
 * `maxBlocks` (a modal takes 100, and the view keeps room for its own blocks); the rest are counted.
 */
export function rollbackPreviewBlocks(input: {
  locale: Locale;
  plan: RollbackPlan;
  /** Whose changes (a Slack user id). */
  actor: string;
  /** Epoch ms. */
  since: number;
  /** @default 90 */
  maxBlocks?: number;
}): KnownBlock[] {
  return previewItemBlocks({ ...input, items: previewItemsOf(input.plan), accounts: input.plan.accounts });
}

/** The same, from the preview's items (what an approval request keeps). */
export function previewItemBlocks(input: {
  locale: Locale;
  items: readonly PreviewItem[];
  accounts: number;
  actor: string;
  since: number;
  maxBlocks?: number;
  /** For a shared channel (an approval request): email, mobile and birthday masked. */
  shared?: boolean;
}): KnownBlock[] {
  const m = messages(input.locale);
  const r = m.rollback;
  const who = actorMention(input.actor);
  const since = auditTime(new Date(input.since).toISOString());
  const { items } = input;
  if (items.length === 0) return [section(r.nothing(who, since))];
  const maxBlocks = input.maxBlocks ?? 90;
  const shown = input.shared ? sharedValueText : valueText;
  const masked = input.shared === true && items.some((item) => Object.keys(item.send ?? {}).some(isPersonalKey));
  const packed = packLines(
    items.map((item) => itemLine(m, item, shown)),
    maxBlocks - (masked ? 4 : 3),
  );
  const undo = items.filter((item) => item.status === 'undo').length;
  return [
    section(r.summary(items.length, input.accounts, who, since)),
    ...packed.blocks,
    ...(packed.notShown > 0 ? [context(r.notShown(packed.notShown))] : []),
    context(r.counts(undo, items.length - undo)),
    ...(masked ? [context(m.common.maskedNote)] : []),
  ];
}

function itemLine(m: Messages, item: PreviewItem, shown: typeof valueText): string {
  const r = m.rollback;
  const accid = item.serverId ? `${code(item.accid, 64)} (${code(item.serverId, 32)})` : code(item.accid, 64);
  const effect =
    item.status === 'undo'
      ? r.willSet(
          Object.entries(item.send ?? {})
            .map(([key, value]) => r.setField(keyLabel(m, key), shown(m, key, value)))
            .join(', '),
        )
      : r.skip[item.status];
  return r.line(auditTime(item.at), actionLabel(m, item.action), accid, effect);
}
