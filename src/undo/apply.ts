import { auditedWrite, type AuditTrail, type FieldChange, type SanctionDetails } from '../audit/index.js';
import type { AuditStore } from '../audit/store/contract.js';
import { accidKey } from '../nim/accid.js';
import type { ServerMemberResult, ServerMemberWriteOptions } from '../nim/qchat.js';
import { muteModules, type MuteModule, type ServerMemberUpdate, type UserCardChanges, type WriteResult } from '../nim/types.js';
import type { ModerationNim } from '../moderation/execute.js';
import type { Inverse } from './inverse.js';
import type { AccountState } from './state.js';

/** The NetEase writes an undo may make. */
export type UndoNim = Omit<ModerationNim, 'getUinfos'> & {
  updateUinfo(accid: string, changes: UserCardChanges, options?: { correlationId?: string }): Promise<WriteResult>;
  updateServerMember(update: ServerMemberUpdate, options?: ServerMemberWriteOptions): Promise<ServerMemberResult>;
};

export type UndoRun = {
  trail: AuditTrail;
  nim: UndoNim;
  /** The Slack person who confirmed the undo (who asked, when it needed approval). */
  actor: string;
  /** Who approved it, when IM_APPROVAL_FOR asked a second person. */
  approvedBy?: string;
  /** How they asked (`undo button`, `rollback`), for the audit trail. */
  command: string;
  /** The undo's own correlation id (its intent's id). */
  id: string;
  now: () => number;
  qchatOperatorAccid?: string;
  /** The rollback this undo is part of (IntentRecord.batch): the rollback's one audit channel message stands for it. */
  batch?: string;
  /** The lift schedule: undoing a mute cancels its pending lift; a re-mute for the time left schedules one. */
  schedule?: Pick<AuditStore, 'finishLift' | 'pendingLifts'>;
};

/**
 * Sends one undo as an audited change of its own (`undoes` links it to the original): the intent with exactly the
 * values `send` sets (before: as read just now) is durable before NetEase is called. The caller has read the
 * account and checked it (checkUndo): `send` is `ready.send`, or `overwrite` when the person chose to overwrite.
 */
export async function applyUndo(
  inverse: Inverse,
  now: AccountState,
  send: Readonly<Record<string, string>>,
  run: UndoRun,
): Promise<WriteResult> {
  const changes: Record<string, FieldChange> = {};
  for (const [key, value] of Object.entries(send)) {
    changes[key] = { before: typed(key, now[key] ?? ''), after: typed(key, value) };
  }
  const accid = inverse.target.accid;
  const liftAt = inverse.action === 'mute' && inverse.mute?.durationMs ? run.now() + inverse.mute.durationMs : undefined;
  const result = await auditedWrite(
    run.trail,
    {
      id: run.id,
      actor: run.actor,
      action: inverse.action,
      command: run.command,
      target: inverse.target,
      changes,
      undoes: inverse.undoes,
      ...(run.batch === undefined ? {} : { batch: run.batch }),
      ...(run.approvedBy === undefined ? {} : { approvedBy: run.approvedBy }),
      ...sanctionOf(inverse, send, liftAt),
    },
    ({ correlationId }) => send_(inverse, send, run, correlationId),
  );
  await settleLifts(inverse, run, accid);
  return result;
}

function sanctionOf(inverse: Inverse, send: Readonly<Record<string, string>>, liftAt: number | undefined) {
  if (inverse.action === 'update_user_card' || inverse.action === 'qchat_update_member') return {};
  const details: SanctionDetails = { reason: inverse.reason ?? `undo of ${inverse.undoes}` };
  if (inverse.action === 'mute') {
    const modules = muteModules.filter((module) => module in send);
    details.scope = 'mute' in send || modules.length === 0 ? 'everywhere' : modules;
    if (liftAt === undefined) details.forever = true;
    else {
      details.durationMs = inverse.mute?.durationMs;
      details.liftAt = new Date(liftAt).toISOString();
    }
  }
  if (inverse.action === 'block') details.needkick = false;
  return { sanction: details, ...(liftAt === undefined ? {} : { lift: { liftAt } }) };
}

async function send_(inverse: Inverse, send: Readonly<Record<string, string>>, run: UndoRun, correlationId: string): Promise<WriteResult> {
  const { nim } = run;
  const { accid, serverId } = inverse.target;
  switch (inverse.action) {
    case 'update_user_card':
      return nim.updateUinfo(accid, cardChangesOf(send), { correlationId });
    case 'qchat_update_member': {
      const member = await nim.updateServerMember(
        { accid, serverId: serverId ?? '', ...send },
        { correlationId, ...(run.qchatOperatorAccid ? { operatorAccid: run.qchatOperatorAccid } : {}) },
      );
      return { confirmedByReadBack: member.confirmedByReadBack === true };
    }
    case 'mute':
    case 'unmute': {
      let confirmedByReadBack = false;
      if ('mute' in send)
        confirmedByReadBack = (await nim.setGlobalMute(accid, send.mute === 'true', { correlationId })).confirmedByReadBack;
      const modules = muteModules.filter((module): module is MuteModule => module in send);
      if (modules.length > 0) {
        const flags = Object.fromEntries(modules.map((module) => [module, send[module] === 'true']));
        confirmedByReadBack ||= (await nim.setModuleMutes(accid, flags, { correlationId })).confirmedByReadBack;
      }
      return { confirmedByReadBack };
    }
    case 'block':
      return nim.blockAccount(accid, { needkick: false }, { correlationId });
    case 'unblock':
      return nim.unblockAccount(accid, { correlationId });
  }
}

/** Undoing a mute ends its pending lift; a re-mute replaces any older pending lift of the account. */
async function settleLifts(inverse: Inverse, run: UndoRun, accid: string): Promise<void> {
  if (!run.schedule) return;
  try {
    if (inverse.action === 'unmute' && inverse.mute?.cancelLift) {
      await run.schedule.finishLift(inverse.mute.cancelLift, { status: 'cancelled', at: run.now(), why: 'unmuted', by: run.id });
    }
    if (inverse.action === 'mute') {
      for (const lift of await run.schedule.pendingLifts([accidKey(accid)])) {
        if (lift.sanctionId === run.id) continue;
        await run.schedule.finishLift(lift.sanctionId, { status: 'cancelled', at: run.now(), why: 'replaced', by: run.id });
      }
    }
  } catch {
    // The scheduler reads the account first when a lift falls due: an unmuted or replaced one sends nothing.
  }
}

function cardChangesOf(send: Readonly<Record<string, string>>): UserCardChanges {
  const changes: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(send)) changes[key] = typed(key, value);
  return changes;
}

/** Values go back into the record as the original recorded them: the gender as a number, the rest as text. */
function typed(key: string, value: string): string | number {
  return key === 'gender' ? Number(value) : value;
}
