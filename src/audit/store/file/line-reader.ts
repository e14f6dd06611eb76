import type { StoreFs } from './fs.js';
import { systemCode } from './fs.js';

/**
 * Visits one line of a log file: `buffer[start, end)` (no newline), at byte `offset` of its file. The buffer is only
 * valid during the call. Positional arguments: start-up calls this for every line, so nothing is allocated per line.
 */
export type LineVisitor = (buffer: Buffer, start: number, end: number, offset: number) => boolean | void;

const CHUNK = 4 * 1024 * 1024;

/**
 * Reads the whole lines of `path` from byte `from` up to `to` (default: the end), in 4 MB chunks, the next chunk read
 * while this one is visited, so memory stays the same however big the file is. A last line without its newline
 * (being written, or torn) is not visited. `visit` returning false stops the reading. Returns the offset after the
 * last whole line read; 0 if the file is absent.
 */
export async function forEachLine(
  fs: StoreFs,
  path: string,
  visit: LineVisitor,
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
    const raws = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let work = Buffer.allocUnsafe(2 * CHUNK);
    let position = range.from ?? 0;
    const readAt = (raw: Buffer, at: number) =>
      handle.read(raw, 0, Math.min(raw.length, to - at), at).then(({ bytesRead }) => ({ raw, bytesRead }));
    let next = position < to ? readAt(raws[0]!, position) : undefined;
    let flip = 1;
    // Bytes of a line that began in the previous chunk, at the start of `work`.
    let carried = 0;
    while (next) {
      const { raw, bytesRead } = await next;
      if (bytesRead === 0) break;
      position += bytesRead;
      next = position < to ? readAt(raws[flip]!, position) : undefined;
      flip ^= 1;
      if (carried + bytesRead > work.length) {
        const bigger = Buffer.allocUnsafe(2 * (carried + bytesRead));
        work.copy(bigger, 0, 0, carried);
        work = bigger;
      }
      raw.copy(work, carried, 0, bytesRead);
      const filled = carried + bytesRead;
      const base = position - filled;
      let start = 0;
      for (let newline = work.indexOf(0x0a, 0); newline >= 0 && newline < filled; newline = work.indexOf(0x0a, start)) {
        if (newline > start && visit(work, start, newline, base + start) === false) {
          await next;
          return base + newline + 1;
        }
        start = newline + 1;
      }
      carried = filled - start;
      if (carried > 0) work.copy(work, 0, start, filled);
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
    (buffer, start, end) => {
      read += end - start + 1;
      const line = buffer.subarray(start, end);
      if (line.indexOf(target) >= 0 && !visit(line.toString('utf8'))) keepGoing = false;
      return keepGoing && read < options.maxBytes;
    },
    { from: options.from },
  );
  return keepGoing;
}
