import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The files of a JSON Lines trail the file store wrote: the active file at AUDIT_LOG and the segments it was rotated
 * into beside it, `<name>.000001`, `<name>.000002`… (oldest first). The active file's sequence number is one past the
 * newest segment. The checkpoint (`<name>.checkpoint`) and lock are the file store's own and are not read.
 */
export type TrailFile = { seq: number; path: string; size: number };

const SEGMENT_DIGITS = 6;

/** Every file of the trail that exists, oldest first, with its size now. Empty when there is none. */
export async function trailFiles(activePath: string): Promise<TrailFile[]> {
  const name = basename(activePath);
  const pattern = new RegExp(`^${escapeRegExp(name)}\\.(\\d{${SEGMENT_DIGITS},})$`);
  let names: string[];
  try {
    names = await readdir(dirname(activePath));
  } catch {
    return [];
  }
  const segments = names
    .map((entry) => pattern.exec(entry))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ seq: Number(match[1]), path: join(dirname(activePath), match[0]) }))
    .sort((a, b) => a.seq - b.seq);
  const all = [...segments, { seq: (segments.at(-1)?.seq ?? 0) + 1, path: activePath }];
  const sized = await Promise.all(all.map(async (file) => ({ ...file, size: (await stat(file.path).catch(() => undefined))?.size })));
  return sized.filter((file): file is TrailFile => file.size !== undefined);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
