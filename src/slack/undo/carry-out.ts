import type { webApi } from '@slack/bolt';
import { AuditStoreError } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { applyUndo } from '../../undo/apply.js';
import type { Inverse } from '../../undo/inverse.js';
import type { AccountState } from '../../undo/state.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { WriteDeps } from '../interaction/deps.js';
import { logFailure } from '../interaction/failure-log.js';
import { renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import { code } from '../ui/text.js';
import { note } from './notices.js';

/** Marks the original's audit channel message "undone by": wired by the composition root (the audit feature's). */
export type MarkUndone = (client: webApi.WebClient, originalId: string, undoId: string) => Promise<void>;

export type UndoDeps = WriteDeps & { markUndone?: MarkUndone };

/**
 * Sends one checked undo as its own audited change (`undoes` the original; with `approvedBy` when a second person
 * approved it), marks the original's audit channel entry undone, and says how it went. Never throws.
 */
export async function carryOutUndo(
  deps: UndoDeps,
  input: {
    inverse: Inverse;
    state: AccountState;
    send: Readonly<Record<string, string>>;
    /** Who confirmed it (asked for it, when approved). */
    actor: string;
    approvedBy?: string;
    command: string;
    /** The undo's own audit entry id. */
    id: string;
    locale: Locale;
    client: webApi.WebClient;
    log: AppLogger;
  },
): Promise<SlackMessage & { done?: boolean }> {
  const { inverse, id, log, locale } = input;
  try {
    await applyUndo(inverse, input.state, input.send, {
      trail: deps.trail,
      nim: deps.nim,
      actor: input.actor,
      ...(input.approvedBy === undefined ? {} : { approvedBy: input.approvedBy }),
      command: input.command,
      id,
      now: deps.now ?? Date.now,
      ...(deps.qchatOperatorAccid ? { qchatOperatorAccid: deps.qchatOperatorAccid } : {}),
      ...(deps.liftSchedule ? { schedule: deps.liftSchedule } : {}),
    });
    log.info({ undoes: inverse.undoes, auditId: id, keys: Object.keys(input.send), approvedBy: input.approvedBy }, 'change undone');
    await deps.markUndone?.(input.client, inverse.undoes, id).catch((error: unknown) => {
      log.warn({ err: error, entryId: inverse.undoes }, 'undo: the original audit channel entry could not be marked undone');
    });
    return { ...note(messages(locale).undo.done(code(inverse.target.accid, 64), code(id, 40))), done: true };
  } catch (error) {
    noteFailure(error);
    if (error instanceof AuditStoreError) {
      log.error({ err: error }, 'undo: the audit intent could not be written; nothing sent');
      return note(messages(locale).write.auditLogFailed);
    }
    logFailure(log, error, { auditId: id, entryId: inverse.undoes }, 'undo: failed');
    return renderError(error, { locale, correlationId: id });
  }
}
