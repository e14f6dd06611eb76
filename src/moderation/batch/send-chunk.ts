import type { LimitFunction } from 'p-limit';
import { callStored, finishAll, type StoredCall } from '../../audit/index.js';
import type { WriteResult } from '../../nim/types.js';
import { accountFailure, cancelLifts } from '../execute.js';
import type { BatchDeps } from './batch-work.js';
import type { LeaseKeeper } from './lease-keeper.js';
import type { Account, Planned } from './plan-group.js';
import type { BatchOutcome } from './progress.js';

export type ChunkContext = {
  deps: BatchDeps;
  kind: 'mute' | 'unmute' | 'block' | 'unblock';
  /** A timed mute's lift time, scheduled with each intent: a mute that provably failed has nothing to lift. */
  liftAt: number | undefined;
  /** Calls in flight at once (shared by every chunk of the batch). */
  limit: LimitFunction;
  stopped: () => boolean;
  leases: LeaseKeeper;
  settle: (account: Account, outcome: BatchOutcome) => void;
};

type Sent = { account: Planned; call: StoredCall<WriteResult> | undefined };

const STOPPED = { status: 'not_applied', errorCode: 'stopped', detail: 'the batch was stopped first' } as const;

/**
 * Sends a chunk whose intents are stored: one call per account (`limit` in flight, paced by the budget), none once
 * stopped; then the chunk's outcomes in one durable write, and only then is each account counted, its earlier lifts
 * ended and its lease let go (until its outcome is stored, no other process may settle it).
 */
export async function sendChunk(chunk: readonly Planned[], context: ChunkContext): Promise<void> {
  const { deps } = context;
  const sent = await Promise.all(
    chunk.map((account) =>
      context.limit(async (): Promise<Sent> => ({
        account,
        call: context.stopped()
          ? undefined
          : await callStored(account.intent, ({ correlationId }) => account.plan.send(deps.nim, account.card.accid, correlationId)),
      })),
    ),
  );
  try {
    await finishAll(
      deps.trail,
      sent.map(({ account, call }) => call ?? { intent: account.intent, description: STOPPED }),
    );
  } catch (error) {
    // The calls were made: each is reported as it ended; an outcome not stored is settled by the settlement round.
    deps.trail.logger.error({ id: chunk[0]?.intent.id, err: error }, 'audit store: the outcomes of a chunk could not be stored');
  }
  for (const { account, call } of sent) {
    context.settle(account, await outcomeOf(account, call, context));
    context.leases.release(account.intent.id);
  }
}

async function outcomeOf(account: Planned, call: StoredCall<WriteResult> | undefined, context: ChunkContext): Promise<BatchOutcome> {
  const auditId = account.intent.id;
  if (!call) return { accid: account.accid, status: 'stopped', auditId };
  if (call.ok) {
    await cancelLifts(context.deps, account.pending, context.kind === 'mute' ? 'replaced' : 'unmuted', auditId);
    return { accid: account.accid, status: 'done', confirmedByReadBack: call.result.confirmedByReadBack, auditId };
  }
  const result = accountFailure(call.error);
  if (context.liftAt !== undefined && result.status === 'failed')
    await cancelLifts(context.deps, [{ sanctionId: auditId }], 'not_applied', '');
  return { accid: account.accid, auditId, ...result };
}
