import type { KnownBlock } from '@slack/types';
import type { RollbackPlan, RollbackStep } from '../../undo/rollback-plan.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import { keyLabel, valueText } from '../ui/account-values.js';
import { actionLabel, auditTime } from '../ui/audit-labels.js';
import { actorMention, code, context, section } from '../ui/text.js';
import { packLines } from './packed-lines.js';

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
  const m = messages(input.locale);
  const r = m.rollback;
  const who = actorMention(input.actor);
  const since = auditTime(new Date(input.since).toISOString());
  const { steps } = input.plan;
  if (steps.length === 0) return [section(r.nothing(who, since))];
  const maxBlocks = input.maxBlocks ?? 90;
  const packed = packLines(
    steps.map((step) => stepLine(m, step)),
    maxBlocks - 3,
  );
  const undo = steps.filter((step) => step.status === 'undo').length;
  return [
    section(r.summary(steps.length, input.plan.accounts, who, since)),
    ...packed.blocks,
    ...(packed.notShown > 0 ? [context(r.notShown(packed.notShown))] : []),
    context(r.counts(undo, steps.length - undo)),
  ];
}

function stepLine(m: Messages, step: RollbackStep): string {
  const r = m.rollback;
  const { intent } = step.original;
  const accid = intent.target.serverId
    ? `${code(intent.target.accid, 64)} (${code(intent.target.serverId, 32)})`
    : code(intent.target.accid, 64);
  const effect =
    step.status === 'undo'
      ? r.willSet(
          Object.entries(step.send ?? {})
            .map(([key, value]) => r.setField(keyLabel(m, key), valueText(m, key, value)))
            .join(', '),
        )
      : r.skip[step.status];
  return r.line(auditTime(intent.at), actionLabel(m, intent.action), accid, effect);
}
