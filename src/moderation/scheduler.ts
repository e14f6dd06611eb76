import { auditedWrite, type AuditTrail, type FieldChange, type IntentRecord } from '../audit/index.js';
import type { AuditStore, ScheduledLift } from '../audit/store/contract.js';
import { muteModules, type MuteModule, type UserCard } from '../nim/types.js';
import type { ModerationNim } from './execute.js';
import { flagsKeptByLater } from './mute-flags.js';
import { auditRefusedLift, LIFT_UNCHECKED_NOTE, liftEntryId, scheduleMismatch } from './lift-entry.js';

/**
 * Lifts timed mutes at their due time. The schedule lives in the audit store (written with the mute's intent, in the
 * same durable write), so it survives restarts and is shared by replicas: each round claims the due lifts with a
 * lease (claimDueLifts), so one lift is carried out by one process; a claim by a process that died is offered again
 * when its lease runs out. A lift that was due while no process ran is carried out at the next start, and its audit
 * entry says how late.
 *
 * Lifting first checks the schedule against the chain: a lift whose time is not the one its intent recorded was moved
 * outside the trail, and is refused (audited, nothing sent). Then it reads the account: if the mute is already gone
 * (someone unmuted it), or the account was muted again through this app with a later end, nothing is sent and the
 * schedule records why. Otherwise the app unmutes exactly what the sanction muted, audited like any change (actor:
 * the app, on behalf of the person who set it), each attempt under its own entry id (liftEntryId).
 *
 * NetEase keeps one flag per place, not who set it: a mute set again outside im-admin before the due time (say, for
 * ever) cannot be told apart from the app's own, and is lifted too. Each lift's outcome says so.
 */

/** The schedule methods of the audit store, and the account history (later mutes): the part the scheduler uses. */
export type LiftSchedule = Pick<AuditStore, 'claimDueLifts' | 'finishLift' | 'pendingLifts' | 'history'>;

export type SchedulerLogger = {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
};

export type LiftSchedulerOptions = {
  schedule: LiftSchedule;
  nim: Pick<ModerationNim, 'getUinfos' | 'setGlobalMute' | 'setModuleMutes'>;
  /** Where the lift itself is audited. */
  trail: AuditTrail;
  /** This process in claims (the audit trail's owner). */
  owner: string;
  /** Epoch ms. */
  now: () => number;
  logger: SchedulerLogger;
  /** Who the audit trail names as the actor of a lift. @default 'im-admin' */
  actor?: string;
  /** How long a claimed lift is this process's before another may take it over, in ms. @default 60000 */
  leaseMs?: number;
  /** How often due lifts are looked for, in ms. @default 15000 */
  pollMs?: number;
  /** Lifts claimed per round. @default 25 */
  batch?: number;
};

/** How one lift ended, for logs and tests. */
export type LiftResult =
  | { sanctionId: string; accid: string; status: 'lifted'; liftedBy: string; lateMs: number }
  | { sanctionId: string; accid: string; status: 'cancelled'; why: 'already_lifted' | 'replaced' | 'schedule_mismatch'; lateMs: number }
  | { sanctionId: string; accid: string; status: 'failed'; error: string };

export class LiftScheduler {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<LiftResult[]> | undefined;
  private stopped = false;

  constructor(private readonly options: LiftSchedulerOptions) {}

  /** Runs a round now (lifts overdue since the last run), then every `pollMs`. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.runDue().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 15_000).unref();
      });
    };
    tick();
  }

  /** Stops polling and waits for a round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round?.catch(() => undefined);
  }

  /** One round: claims the lifts due now and carries each out. Never rejects; failures are logged and offered again. */
  runDue(): Promise<LiftResult[]> {
    if (this.round) return this.round;
    this.round = this.claimAndLift().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  private async claimAndLift(): Promise<LiftResult[]> {
    const { schedule, owner, now, logger } = this.options;
    let due: ScheduledLift[];
    try {
      due = await schedule.claimDueLifts({ owner, now: now(), leaseMs: this.options.leaseMs ?? 60_000, limit: this.options.batch ?? 25 });
    } catch (error) {
      logger.warn({ err: error }, 'timed sanctions: could not read the schedule; will try again');
      return [];
    }
    const results: LiftResult[] = [];
    for (const lift of due) results.push(await this.liftOne(lift));
    return results;
  }

  private async liftOne(lift: ScheduledLift): Promise<LiftResult> {
    const { schedule, nim, now, logger } = this.options;
    const accid = lift.intent.target.accid;
    const base = { sanctionId: lift.sanctionId, accid };
    try {
      const lateMs = Math.max(0, now() - lift.liftAt);
      const mismatch = scheduleMismatch(lift);
      if (mismatch) {
        const id = await liftEntryId(this.options.trail, lift.sanctionId);
        await auditRefusedLift(this.options.trail, lift, { id, actor: this.options.actor ?? 'im-admin', problem: mismatch });
        await schedule.finishLift(lift.sanctionId, { status: 'cancelled', at: now(), why: 'schedule_mismatch', by: id });
        logger.error({ ...base, problem: mismatch }, 'timed sanction: the schedule disagrees with the audit chain; not lifted');
        return { ...base, status: 'cancelled', why: 'schedule_mismatch', lateMs };
      }
      const card = (await nim.getUinfos([accid], { muteStatus: true, correlationId: `lift-${lift.sanctionId}` })).found[0];
      const on = stillMuted(lift.intent, card);
      // Flags a later mute through the app keeps on (for ever, or for longer) are not this lift's to clear.
      const kept = flagsKeptByLater((await schedule.history({ accid, limit: 50 })).items, lift);
      const flags = on.filter((flag) => !kept.has(flag));
      if (on.length > 0 && flags.length === 0) {
        await schedule.finishLift(lift.sanctionId, { status: 'cancelled', at: now(), why: 'replaced' });
        logger.info({ ...base, kept: [...kept] }, 'timed sanction: muted again for longer through im-admin; nothing sent');
        return { ...base, status: 'cancelled', why: 'replaced', lateMs };
      }
      if (flags.length === 0) {
        await schedule.finishLift(lift.sanctionId, { status: 'cancelled', at: now(), why: 'already_lifted' });
        logger.info({ ...base, found: card !== undefined }, 'timed sanction: already lifted; nothing sent');
        return { ...base, status: 'cancelled', why: 'already_lifted', lateMs };
      }
      const liftedBy = await this.unmute(lift, flags, lateMs);
      await schedule.finishLift(lift.sanctionId, { status: 'lifted', at: now(), liftedBy });
      logger.info({ ...base, liftedBy, lateMs }, lateMs > 60_000 ? 'timed sanction lifted late' : 'timed sanction lifted');
      return { ...base, status: 'lifted', liftedBy, lateMs };
    } catch (error) {
      // The claim runs out and the lift is offered again (to this process or another).
      logger.error({ ...base, err: error }, 'timed sanction: lifting failed; will try again');
      return { ...base, status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The audited unmute of exactly the flags the sanction set that are still on. Returns the lift's entry id. */
  private async unmute(lift: ScheduledLift, flags: readonly ('mute' | MuteModule)[], lateMs: number): Promise<string> {
    const { nim, trail } = this.options;
    const intent = lift.intent;
    const id = await liftEntryId(trail, lift.sanctionId);
    const changes: Record<string, FieldChange> = Object.fromEntries(flags.map((flag) => [flag, { before: 'true', after: 'false' }]));
    await auditedWrite(
      trail,
      {
        id,
        actor: this.options.actor ?? 'im-admin',
        action: 'unmute',
        command: 'timed lift',
        target: { accid: intent.target.accid },
        changes,
        sanction: {
          lifts: lift.sanctionId,
          onBehalfOf: intent.actor,
          lateMs,
          ...(intent.sanction?.reason ? { reason: intent.sanction.reason } : {}),
          ...(intent.sanction?.scope ? { scope: intent.sanction.scope } : {}),
        },
      },
      async ({ correlationId }) => {
        let confirmedByReadBack = false;
        if (flags.includes('mute'))
          confirmedByReadBack = (await nim.setGlobalMute(intent.target.accid, false, { correlationId })).confirmedByReadBack;
        const modules = flags.filter((flag): flag is MuteModule => flag !== 'mute');
        if (modules.length > 0) {
          const result = await nim.setModuleMutes(intent.target.accid, Object.fromEntries(modules.map((module) => [module, false])), {
            correlationId,
          });
          confirmedByReadBack ||= result.confirmedByReadBack;
        }
        return { confirmedByReadBack };
      },
      ({ confirmedByReadBack }) => ({
        status: confirmedByReadBack ? 'applied_confirmed_by_read_back' : 'applied',
        detail: LIFT_UNCHECKED_NOTE,
      }),
    );
    return id;
  }
}

/** The flags the sanction set that the card still shows on; [] when the mute is gone (or the account). */
export function stillMuted(intent: IntentRecord, card: UserCard | undefined): ('mute' | MuteModule)[] {
  if (!card) return [];
  const scope = intent.sanction?.scope ?? 'everywhere';
  if (scope === 'everywhere') return card.mute === true ? ['mute'] : [];
  return muteModules.filter((module) => scope.includes(module) && card[module] === true);
}
