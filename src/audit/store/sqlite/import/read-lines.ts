import { open } from 'node:fs/promises';

/** One chunk's whole lines: each line's text (no newline) and the file offset just after it. */
export type LineBatch = { lines: string[]; ends: number[] };

const CHUNK = 512 * 1024;

/**
 * Reads the whole lines of `path` from byte `from` up to byte `to`, a chunk at a time (memory stays flat however big
 * the file), each chunk's lines handed over as one batch so that the caller can work on it and yield before the next.
 * A last line without its newline (torn by a crash) is not handed over: `torn` says how many bytes it had.
 */
export async function* readLines(path: string, from: number, to: number): AsyncGenerator<LineBatch, { torn: number }> {
  const handle = await open(path, 'r');
  try {
    let position = from;
    let carry = Buffer.alloc(0);
    const raw = Buffer.allocUnsafe(CHUNK);
    while (position < to) {
      const { bytesRead } = await handle.read(raw, 0, Math.min(CHUNK, to - position), position);
      if (bytesRead === 0) break;
      const buffer = carry.length > 0 ? Buffer.concat([carry, raw.subarray(0, bytesRead)]) : raw.subarray(0, bytesRead);
      const base = position - carry.length;
      position += bytesRead;
      const batch: LineBatch = { lines: [], ends: [] };
      let start = 0;
      for (let newline = buffer.indexOf(0x0a); newline >= 0; newline = buffer.indexOf(0x0a, start)) {
        if (newline > start) {
          batch.lines.push(buffer.toString('utf8', start, newline));
          batch.ends.push(base + newline + 1);
        }
        start = newline + 1;
      }
      carry = Buffer.from(buffer.subarray(start));
      if (batch.lines.length > 0) yield batch;
    }
    return { torn: carry.length };
  } finally {
    await handle.close();
  }
}
