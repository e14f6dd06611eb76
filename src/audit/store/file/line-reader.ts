import type { StoreFs } from './fs.js';
import { systemCode } from './fs.js';

/** One line of a log file: `buffer[start, end)` (no newline), at byte `offset` of its file. Valid during the visit. */
export type LineVisit = { buffer: Buffer; start: number; end: number; offset: number };

const CHUNK = 4 * 1024 * 1024;

/**
 * Reads the whole lines of `path` from byte `from` up to `to` (default: the end), in 4 MB chunks, so memory stays
 * the same however big the file is. A last line without its newline (being written, or torn) is not visited.
 * `visit` returning false stops the reading. Returns the offset after the last whole line read; 0 if the file is absent.
 */
export async function forEachLine(
  fs: StoreFs,
  path: string,
  visit: (line: LineVisit) => boolean | void,
  range: { from?: number; to?: number } = {},
): Promise<number> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return 0;
    throw error;
  }
  try {
    const to = range.to ?? (await handle.stat()).size;
    let buffer = Buffer.allocUnsafe(CHUNK);
    let position = range.from ?? 0;
    let carried = 0;
    while (position < to) {
      const want = Math.min(buffer.length - carried, to - position);
      const { bytesRead } = await handle.read(buffer, carried, want, position);
      if (bytesRead === 0) break;
      const filled = carried + bytesRead;
      const base = position - carried;
      let start = 0;
      for (let newline = buffer.indexOf(0x0a, start); newline >= 0 && newline < filled; newline = buffer.indexOf(0x0a, start)) {
        if (newline > start && visit({ buffer, start, end: newline, offset: base + start }) === false) {
          return base + newline + 1;
        }
        start = newline + 1;
      }
      position += bytesRead;
      carried = filled - start;
      if (carried === buffer.length) {
        // One line longer than the buffer: grow it rather than cut the line.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      } else if (carried > 0) {
        buffer.copy(buffer, 0, start, filled);
      }
    }
    return position - carried;
  } finally {
    await handle.close();
  }
}

/**
 * Finds the lines of `path` before byte `before` that contain `needle`, newest first, reading backwards in 1 MB
 * chunks. With `ignoreCase` the needle must be lower-case ASCII. `visit` gets each line's text and offset once and
 * returns false to stop. Returns false when stopped.
 */
export async function findLinesBackward(
  fs: StoreFs,
  path: string,
  needle: string,
  options: { before: number; ignoreCase: boolean },
  visit: (text: string, offset: number) => boolean,
): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return true;
    throw error;
  }
  try {
    const chunkSize = 1024 * 1024;
    let end = Math.min(options.before, (await handle.stat()).size);
    // Bytes at the start of the previous (later) chunk that belong to a line beginning in this one.
    let tail = Buffer.alloc(0);
    while (end > 0) {
      const start = Math.max(0, end - chunkSize);
      const read = Buffer.allocUnsafe(end - start);
      await handle.read(read, 0, read.length, start);
      const buffer = tail.length > 0 ? Buffer.concat([read, tail]) : read;
      // The first partial line belongs to the chunk before (unless this is the start of the file).
      const firstLine = start === 0 ? 0 : buffer.indexOf(0x0a) + 1;
      if (start > 0 && firstLine === 0) {
        tail = buffer;
        end = start;
        continue;
      }
      const haystack = options.ignoreCase
        ? buffer.toString('latin1', 0, buffer.length).toLowerCase()
        : buffer.toString('latin1', 0, buffer.length);
      let from = haystack.length;
      while (from >= firstLine) {
        const hit = haystack.lastIndexOf(needle, from);
        if (hit < firstLine) break;
        const lineStart = haystack.lastIndexOf('\n', hit) + 1;
        let lineEnd = haystack.indexOf('\n', hit);
        if (lineEnd < 0) lineEnd = buffer.length;
        if (!visit(buffer.toString('utf8', lineStart, lineEnd), start + lineStart)) return false;
        // On to the lines before this one (a line with the needle twice is visited once).
        from = lineStart - 2;
      }
      tail = buffer.subarray(0, firstLine);
      end = start;
    }
    return true;
  } finally {
    await handle.close();
  }
}

/**
 * Finds the lines of `path` from byte `from` on that contain `needle` (case-sensitive), oldest first, in 256 KB
 * chunks, reading at most `maxBytes`. `visit` returns false to stop. Returns false when stopped.
 */
export async function findLinesForward(
  fs: StoreFs,
  path: string,
  needle: string,
  options: { from: number; maxBytes: number },
  visit: (text: string) => boolean,
): Promise<boolean> {
  const target = Buffer.from(needle);
  let keepGoing = true;
  let read = 0;
  // Whole lines are visited by forEachLine; the needle test on each is a bounded indexOf inside the line.
  await forEachLine(
    fs,
    path,
    ({ buffer, start, end }) => {
      read += end - start + 1;
      const line = buffer.subarray(start, end);
      if (line.indexOf(target) >= 0 && !visit(line.toString('utf8'))) keepGoing = false;
      return keepGoing && read < options.maxBytes;
    },
    { from: options.from },
  );
  return keepGoing;
}
