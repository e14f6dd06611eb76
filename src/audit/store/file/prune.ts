import { writeSync } from 'node:fs';
import { lookupRecordSchema } from '../../records.js';
import type { StoreFs } from './fs.js';
import { forEachLine } from './line-reader.js';
import { lineHead, parseLine } from './lines.js';

/**
 * Drops lookup lines older than `before` from one log file: counted first (most files have none to drop and are left
 * untouched), then copied without them to a temporary file, flushed, and renamed over the original. Chained records
 * are copied byte for byte, so the chain is unchanged. Returns how many lines were dropped.
 */
export async function pruneLookupsInFile(fs: StoreFs, path: string, before: number): Promise<number> {
  const isOld = (buffer: Buffer, start: number, end: number) => {
    if (lineHead(buffer, start, end)?.kind !== 'lookup') return false;
    const lookup = lookupRecordSchema.safeParse(parseLine(buffer.toString('utf8', start, end)));
    return lookup.success && Date.parse(lookup.data.at) < before;
  };
  let old = 0;
  await forEachLine(fs, path, (buffer, start, end) => {
    if (isOld(buffer, start, end)) old++;
  });
  if (old === 0) return 0;

  const temporary = `${path}.prune`;
  const out = await fs.open(temporary, 'w', 0o600);
  let dropped = 0;
  try {
    // Lines are visited synchronously: batches go out with writeSync on the handle's descriptor, memory stays ~1 MB.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pendingBytes > 0) writeSync(out.fd, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    await forEachLine(fs, path, (buffer, start, end) => {
      if (isOld(buffer, start, end)) {
        dropped++;
        return;
      }
      pending.push(Buffer.from(buffer.subarray(start, end + 1)));
      pendingBytes += end + 1 - start;
      if (pendingBytes >= 1024 * 1024) flush();
    });
    flush();
    await out.datasync();
  } finally {
    await out.close();
  }
  await fs.rename(temporary, path);
  return dropped;
}
