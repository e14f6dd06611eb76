import { type AccountOutcome, type ModerationNim, type ModerationReport, readStatesAfter } from '../execute.js';
import type { BatchService, BatchStart, BatchWatch } from './batch-service.js';

/**
 * A confirmed action on more than one account, carried out as a batch while the caller waits for its report: the
 * same run as a spam wave's (each chunk's intents durable before its calls, the audit channel's one message for the
 * whole action, reported with Continue if the process dies), then every account read again so the person sees each
 * one's state as NetEase reports it. Only an action on one account takes carryOut, and its own message. Rejects, as
 * carryOut does, when the accounts could not be read first and so nothing was sent.
 */
export async function carryOutAsBatch(
  batches: BatchService,
  nim: ModerationNim,
  input: BatchStart,
  watch: BatchWatch = {},
): Promise<ModerationReport> {
  const batch = await batches.start(input, watch);
  const run = await batches.settled(batch.id);
  if (!run) throw new Error(`the batch ${batch.id} ended without a report (logged); its record says how far it got`);
  // Nothing sent because the accounts could not be read first: the caller says so once, as for one account (carryOut),
  // rather than listing every account as failed.
  if (run.readError && run.outcomes.every((outcome) => outcome.status === 'failed' && outcome.auditId === undefined)) throw run.readError;
  const outcomes: AccountOutcome[] = run.outcomes.map((outcome) => ({ ...outcome }));
  await readStatesAfter(nim, outcomes, batch.id);
  return { outcomes, ...(run.liftAt === undefined ? {} : { liftAt: run.liftAt }) };
}
