import { basename, dirname, join } from 'node:path';
import type { StoreFs } from './fs.js';

/**
 * The log's files: the active file at AUDIT_LOG, and the segments it was rotated into beside it,
 * `<name>.000001`, `<name>.000002`… (oldest first). The active file's sequence number is one past the newest segment.
 */
export type LogFile = { seq: number; path: string };

const SEGMENT_DIGITS = 6;

export function segmentPath(activePath: string, seq: number): string {
  return `${activePath}.${String(seq).padStart(SEGMENT_DIGITS, '0')}`;
}

/** Every file of the log, oldest first, the active file last (whether or not it exists yet). */
export async function logFiles(fs: StoreFs, activePath: string): Promise<LogFile[]> {
  const name = basename(activePath);
  const pattern = new RegExp(`^${escapeRegExp(name)}\\.(\\d{${SEGMENT_DIGITS},})$`);
  let names: string[];
  try {
    names = await fs.readdir(dirname(activePath));
  } catch {
    names = [];
  }
  const segments = names
    .map((entry) => pattern.exec(entry))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ seq: Number(match[1]), path: join(dirname(activePath), match[0]) }))
    .sort((a, b) => a.seq - b.seq);
  const activeSeq = (segments.at(-1)?.seq ?? 0) + 1;
  return [...segments, { seq: activeSeq, path: activePath }];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
