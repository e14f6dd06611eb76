import type { KnownBlock } from '@slack/types';
import { PROTECTED_ACCOUNT, type RollbackItemResult } from '../../undo/rollback-run.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import { code, context, section } from '../ui/text.js';
import { packLines } from './packed-lines.js';

/** How many of a rollback's changes ended each way. */
export type RollbackCounts = { undone: number; changedSince: number; skipped: number; failed: number };

export function countResults(results: readonly RollbackItemResult[]): RollbackCounts {
  const count = (status: RollbackItemResult['status']) => results.filter((result) => result.status === status).length;
  return { undone: count('undone'), changedSince: count('skipped_changed_since'), skipped: count('skipped'), failed: count('failed') };
}

/**
 * The report when a rollback has run: the counts, then each change (in the preview's order) and how it ended: undone
 * (with its undo's audit id), skipped because someone else changed it since, skipped otherwise, or failed and why.
 */
export function rollbackReportBlocks(input: { locale: Locale; results: readonly RollbackItemResult[]; maxBlocks?: number }): KnownBlock[] {
  const m = messages(input.locale);
  const counts = countResults(input.results);
  const packed = packLines(
    input.results.map((result) => resultLine(m, result)),
    (input.maxBlocks ?? 90) - 2,
  );
  return [
    section(`*${m.rollback.reportCounts(counts.undone, counts.changedSince, counts.skipped, counts.failed)}*`),
    ...packed.blocks,
    ...(packed.notShown > 0 ? [context(m.rollback.notShown(packed.notShown))] : []),
  ];
}

/** One change and how it ended, as a report line. */
export function resultLine(m: Messages, result: RollbackItemResult): string {
  const r = m.rollback.report;
  const accid = result.serverId ? `${code(result.accid, 64)} (${code(result.serverId, 32)})` : code(result.accid, 64);
  const how = (() => {
    switch (result.status) {
      case 'undone':
        return r.undone(code(result.undoId ?? '', 80));
      case 'skipped_changed_since':
        return r.skipped_changed_since;
      case 'skipped':
        return result.detail === PROTECTED_ACCOUNT ? r.protected_account : r.skipped(code(result.detail ?? '', 40));
      case 'failed':
        return r.failed(code(result.detail ?? '', 40));
    }
  })();
  return `• ${code(result.original, 80)} · ${accid}: ${how}`;
}
