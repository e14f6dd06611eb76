import { join } from 'node:path';
import type { AuditTrail } from '../../src/audit/audited-write.js';
import { AuditOutbox, type AuditOutboxOptions } from '../../src/audit/outbox.js';
import { FileAuditStore } from '../../src/audit/store/file/file-store.js';
import type { StoreFs } from '../../src/audit/store/file/fs.js';
import { collectingLogger, fileRecords, sequentialIds, steppingClock } from './helpers.js';

/**
 * One process's audit trail on a file store in `dir`, opened: what the app wires at start, for tests of the audited
 * functions and the outbox. `owner` names the process; `fs` can make the disk fail.
 */
export async function openTestTrail(
  dir: string,
  options: Partial<Omit<AuditOutboxOptions, 'store' | 'owner'>> & { owner?: string; fs?: StoreFs; leaseMs?: number } = {},
) {
  const logger = options.logger ?? collectingLogger();
  const store = new FileAuditStore({ path: join(dir, 'audit.jsonl'), logger, ...(options.fs ? { fs: options.fs } : {}) });
  await store.open();
  const now = options.now ?? steppingClock();
  const owner = options.owner ?? 'test-process';
  const outbox = new AuditOutbox({
    verify: async () => 'unknown',
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    pollMs: 10,
    ...options,
    store,
    owner,
    now,
    logger,
  });
  const trail: AuditTrail = {
    store,
    outbox,
    owner,
    now,
    newId: sequentialIds(),
    logger,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  };
  return {
    store,
    outbox,
    trail,
    logger: logger as ReturnType<typeof collectingLogger>,
    async close() {
      await outbox.close();
      await store.close();
    },
  };
}

/** The records of the log file as the app wrote them (no delivery or lease lines), each without its chain `prev`. */
export async function auditRecords(dir: string): Promise<Record<string, unknown>[]> {
  return (await fileRecords(join(dir, 'audit.jsonl')))
    .filter((record) => ['intent', 'outcome', 'refusal', 'lookup', 'posted'].includes(String(record.kind)))
    .map(({ prev: _prev, ...record }) => record);
}
