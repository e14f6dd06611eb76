import { once } from 'node:events';
import { SqliteTrailReader } from '../store/sqlite/read-only.js';
import { describeVerification, headLine, parseHead } from './describe.js';
import type { TrailForReading } from './open-trail.js';
import { reachesHead } from './reaches.js';
import type { Output } from './progress.js';

export type Io = { out: Output & NodeJS.WritableStream; err: Output };

/** `head`: `<count> <sha256>` of the chain's newest record, as the app posts it. */
export async function headCommand(trail: TrailForReading, io: Io): Promise<number> {
  io.out.write(`${headLine(await trail.head())}\n`);
  return 0;
}

/** `verify [--head <count>:<sha256>]`: 0 intact (and reaching that head), 1 naming what does not match. */
export async function verifyCommand(trail: TrailForReading, io: Io, head?: string): Promise<number> {
  const expected = head === undefined ? undefined : parseHead(head);
  if (typeof expected === 'string') {
    io.err.write(`${expected}\n`);
    return 2;
  }
  const verification = await trail.verify();
  io.out.write(`${describeVerification({ kind: trail.kind, location: trail.location, verification })}\n`);
  if (!verification.ok) return 1;
  if (!expected) return 0;
  const problem = await reachesHead(trail.records(), expected);
  if (!problem) {
    io.out.write(`It reaches the head ${expected.count} ${expected.hash}.\n`);
    return 0;
  }
  io.out.write(`It does not reach the head ${expected.count} ${expected.hash}: ${problem}.\n`);
  return 1;
}

/** `export [--since <ISO time>]`: the records' stored texts as JSON Lines on stdout (they verify as exported). */
export async function exportCommand(trail: TrailForReading, io: Io, since?: string): Promise<number> {
  const sinceMs = since === undefined ? undefined : Date.parse(since);
  if (sinceMs !== undefined && !Number.isFinite(sinceMs)) {
    io.err.write(`--since must be an ISO 8601 time such as 2026-12-01 or 2026-12-01T08:00:00Z, not ${JSON.stringify(since)}\n`);
    return 2;
  }
  for await (const text of trail.records(sinceMs === undefined ? {} : { since: sinceMs })) {
    // Honour back-pressure (a slow `jq`), so memory stays flat however long the trail.
    if (!io.out.write(`${text}\n`)) await once(io.out, 'drain');
  }
  return 0;
}

/** `backup <path>`: SQLite's online backup, then the copy verified; PostgreSQL: pg_dump is the tool. */
export async function backupCommand(trail: TrailForReading, io: Io, path: string | undefined): Promise<number> {
  if (!trail.backup) {
    io.err.write(`The trail is in PostgreSQL (${trail.location}): back it up with pg_dump.\n`);
    return 2;
  }
  if (!path) {
    io.err.write('backup needs the path of the copy: npm run audit -- backup <path>\n');
    return 2;
  }
  await trail.backup(path);
  const copy = new SqliteTrailReader(path);
  copy.open();
  try {
    const verification = await copy.verify();
    io.out.write(`Backup written to ${path}. ${describeVerification({ kind: 'sqlite', location: path, verification })}\n`);
    return verification.ok ? 0 : 1;
  } finally {
    copy.close();
  }
}
