import type { AppLogger } from '../logger.js';
import type { AuditStoreKind, ChainVerification } from './store/contract.js';
import { createAuditStore, type AuditStoreSettings } from './store/create-store.js';
import { verifyLogAt } from './store/file/read-only.js';

export type TrailVerification = { kind: AuditStoreKind; location: string; verification: ChainVerification };

/**
 * Walks the chain of the store the settings name: the file read-only (the running app keeps its lock), PostgreSQL
 * through a connection of its own.
 */
export async function verifyTrail(
  settings: AuditStoreSettings,
  logger: Pick<AppLogger, 'warn' | 'info' | 'error'>,
): Promise<TrailVerification> {
  if (!settings.databaseUrl) {
    return { kind: 'file', location: settings.logPath, verification: await verifyLogAt(settings.logPath) };
  }
  const store = createAuditStore(settings, logger);
  await store.open();
  try {
    return { kind: store.kind, location: store.location, verification: await store.verify() };
  } finally {
    await store.close();
  }
}

/** What `npm run audit -- verify` prints: one line a person can act on. */
export function describeVerification({ kind, location, verification }: TrailVerification): string {
  const { head } = verification;
  const headText = `${head.count} records, head SHA-256 ${head.hash}${head.id ? ` (record ${head.id})` : ''}`;
  if (verification.ok) {
    const legacy = verification.legacy > 0 ? `, of which ${verification.legacy} from before the chain (v1, not chained)` : '';
    return `The audit chain of the ${kind} store ${location} is intact: ${headText}${legacy}.`;
  }
  const { position, id, where, reason } = verification.firstBad;
  return (
    `The audit chain of the ${kind} store ${location} is broken at record ${position}${id ? ` (${id})` : ''}, ${where}: ${reason}. ` +
    `The chain is intact up to the record before it: ${headText}.`
  );
}
