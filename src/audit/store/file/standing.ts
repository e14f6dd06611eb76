import type { IntentRecord } from '../../records.js';
import type { StandingSanction } from '../contract.js';
import { appliedStatuses, isUntimed, sanctionFamily, setsSanction } from '../standing.js';
import { forEachLine } from './line-reader.js';
import { chainedLineSchema, parseLine } from './lines.js';
import type { LogSnapshot } from './queries.js';

const INTENT = Buffer.from('{"kind":"intent"');
const OUTCOME = Buffer.from('{"kind":"outcome"');

/**
 * Standing sanctions for the file store: the timed ones are its lift schedule (in memory); the untimed ones need the
 * latest applied sanction change per account, which only the whole log knows, so it is read once through, parsing
 * only intent and outcome lines. Its time grows with the log: the file store serves one process and small trails.
 */
export async function readStanding(log: LogSnapshot, limit: number): Promise<StandingSanction[]> {
  const timed = [...log.state.lifts.entries()]
    .sort(([, a], [, b]) => a.liftAt - b.liftAt)
    .slice(0, limit)
    .map(([sanctionId, { intent, liftAt }]): StandingSanction => ({ sanctionId, intent, liftAt }));

  const sanctionIntents = new Map<string, { intent: IntentRecord; order: number }>();
  /** `<accid>/<family>` → the latest applied change's intent and its order in the log. */
  const latest = new Map<string, { intent: IntentRecord; order: number }>();
  let order = 0;
  for (const file of log.files) {
    await forEachLine(
      log.fs,
      file.path,
      (buffer, start, end) => {
        const isIntent = startsWith(buffer, start, INTENT);
        if (!isIntent && !startsWith(buffer, start, OUTCOME)) return;
        const parsed = chainedLineSchema.safeParse(parseLine(buffer.toString('utf8', start, end)));
        if (!parsed.success) return;
        const record = parsed.data;
        if (record.kind === 'intent') {
          if (sanctionFamily(record.action)) sanctionIntents.set(record.id, { intent: record, order: order++ });
          return;
        }
        if (record.kind !== 'outcome' || !appliedStatuses.includes(record.status)) return;
        const settled = sanctionIntents.get(record.id);
        if (!settled) return;
        sanctionIntents.delete(record.id);
        const key = `${settled.intent.target.accid.toLowerCase()}/${sanctionFamily(settled.intent.action)}`;
        if ((latest.get(key)?.order ?? -1) < settled.order) latest.set(key, settled);
      },
      { to: file.size },
    );
  }
  const untimed = [...latest.values()]
    .filter(({ intent }) => setsSanction(intent.action) && isUntimed(intent))
    .sort((a, b) => b.order - a.order)
    .slice(0, limit)
    .map(({ intent }): StandingSanction => ({ sanctionId: intent.id, intent }));
  return [...timed, ...untimed];
}

function startsWith(buffer: Buffer, start: number, prefix: Buffer): boolean {
  return buffer.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
}
