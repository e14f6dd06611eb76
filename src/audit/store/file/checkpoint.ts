import { z } from 'zod';
import { intentRecordSchema, outcomeRecordSchema, refusalRecordSchema } from '../../records.js';
import type { StoreFs } from './fs.js';
import { StoreState } from './state.js';

/**
 * A small summary of the log up to a point (which file, how many bytes), so that a start reads only what was
 * written after it instead of the whole history. It holds what is live (intents in flight, unposted entries,
 * pending lifts, recent at-most-once keys) and the chain head. Rewritten (to a temporary file, then renamed) after the
 * start-up scan, at each rotation, every few thousand records and at close; losing it only costs one longer start.
 */
const claimSchema = z.object({ owner: z.string(), until: z.number() });
const checkpointSchema = z.object({
  version: z.literal(1),
  file: z.object({ seq: z.number().int(), dev: z.number(), ino: z.number(), size: z.number().int() }),
  head: z.object({ count: z.number().int(), hash: z.string().length(64), id: z.string().optional() }),
  nextOrder: z.number().int(),
  unsettled: z.array(z.object({ intent: intentRecordSchema, order: z.number().int(), lease: claimSchema })),
  unposted: z.array(
    z.object({
      entry: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('update'), intent: intentRecordSchema, outcome: outcomeRecordSchema }),
        z.object({ kind: z.literal('refusal'), refusal: refusalRecordSchema }),
      ]),
      order: z.number().int(),
    }),
  ),
  lifts: z.array(z.object({ intent: intentRecordSchema, liftAt: z.number() })),
  once: z.array(z.object({ key: z.string(), id: z.string(), at: z.number() })),
});

export type CheckpointFile = z.infer<typeof checkpointSchema>['file'];
export type Checkpoint = { file: CheckpointFile; state: StoreState };

export function checkpointPath(logPath: string): string {
  return `${logPath}.checkpoint`;
}

/** The checkpoint, or undefined when there is none or it does not parse (then the start reads the whole log). */
export async function readCheckpoint(fs: StoreFs, logPath: string): Promise<Checkpoint | undefined> {
  let parsed;
  try {
    parsed = checkpointSchema.safeParse(JSON.parse(await fs.readFile(checkpointPath(logPath), 'utf8')));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const saved = parsed.data;
  const state = new StoreState();
  state.head = saved.head;
  state.nextOrder = saved.nextOrder;
  for (const { intent, order, lease } of saved.unsettled) state.unsettled.set(intent.id, { intent, order, lease });
  for (const { entry, order } of saved.unposted) {
    state.unposted.set(entry.kind === 'update' ? entry.intent.id : entry.refusal.id, { entry, order });
  }
  for (const { intent, liftAt } of saved.lifts) state.lifts.set(intent.id, { intent, liftAt });
  for (const { key, id, at } of saved.once) state.once.set(key, { id, at });
  return { file: saved.file, state };
}

export async function writeCheckpoint(fs: StoreFs, logPath: string, file: CheckpointFile, state: StoreState): Promise<void> {
  state.expireOnceKeys();
  const saved: z.infer<typeof checkpointSchema> = {
    version: 1,
    file,
    head: state.head,
    nextOrder: state.nextOrder,
    unsettled: [...state.unsettled.values()].map(({ intent, order, lease }) => ({ intent, order, lease })),
    unposted: [...state.unposted.values()].map(({ entry, order }) => ({ entry, order })),
    lifts: [...state.lifts.values()].map(({ intent, liftAt }) => ({ intent, liftAt })),
    once: [...state.once.entries()].map(([key, { id, at }]) => ({ key, id, at })),
  };
  const path = checkpointPath(logPath);
  await fs.writeFile(`${path}.tmp`, JSON.stringify(saved), { mode: 0o600 });
  await fs.rename(`${path}.tmp`, path);
}
