import { ChainWalk } from '../chain.js';
import type { ChainVerification } from '../contract.js';
import type { StoreFs } from './fs.js';
import { forEachLine } from './line-reader.js';
import { chainedKinds, lineHead, parseLine } from './lines.js';
import type { LogFile } from './segments.js';

/**
 * Walks the chain through every file of the log, oldest first. Lookups and delivery lines are not chained and are
 * passed over. A line that does not parse before the chain began is a v1 torn write (v1 went on after one) and is
 * passed over too; once the chain began, it is named.
 */
export async function verifyFiles(fs: StoreFs, files: readonly (LogFile & { size: number })[]): Promise<ChainVerification> {
  const walk = new ChainWalk();
  for (const file of files) {
    let lineNumber = 0;
    await forEachLine(
      fs,
      file.path,
      (buffer, start, end) => {
        lineNumber++;
        const head = lineHead(buffer, start, end);
        const text = buffer.toString('utf8', start, end);
        const kind = head?.kind ?? (parseLine(text) as { kind?: unknown } | undefined)?.kind;
        if (kind === undefined && !walk.started) return;
        if (kind !== undefined && !(typeof kind === 'string' && chainedKinds.has(kind))) return;
        walk.push(text, `${file.path} line ${lineNumber}`);
      },
      { to: file.size },
    );
  }
  return walk.result();
}
