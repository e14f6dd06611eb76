import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { chainHash, GENESIS_HASH } from '../../chain.js';
import type { SqliteDatabase } from '../database.js';
import { isChained, lineHead } from './lines.js';
import { readLines } from './read-lines.js';
import { trailFiles, type TrailFile } from './segments.js';
import { lineWriter } from './store-lines.js';

/** Where an import stands (the audit_import row). */
export type ImportState = {
  source: string;
  /** Chained records in the trail (its first pass), and its newest one: the chain continues from there. */
  sourceCount: number;
  sourceHash: string;
  sourceId: string | null;
  /** Resume point: the file (by segment number) and the byte offset after the last line stored. */
  fileSeq: number;
  fileOffset: number;
  /** Chained records stored so far; every line read; lines that are not records this store knows. */
  imported: number;
  lines: number;
  skipped: number;
  finishedAt: string | null;
};

export type ImportProgress = ImportState & { /** Bytes of the trail read so far, of `totalBytes`. */ bytes: number; totalBytes: number };

export type ImportEvents = {
  progress?(progress: ImportProgress): void;
  /** A last line without its newline (a crash mid-write), skipped. */
  tornLine?(file: string, bytes: number): void;
};

export function readImportState(db: SqliteDatabase): ImportState | undefined {
  return db
    .prepare<[], ImportState>(
      `SELECT source, source_count AS sourceCount, source_hash AS sourceHash, source_id AS sourceId, file_seq AS fileSeq,
         file_offset AS fileOffset, imported, lines, skipped, finished_at AS finishedAt FROM audit_import`,
    )
    .get();
}

/**
 * The first pass over the old trail: counts its chained records and finds the newest, without storing anything, then
 * in one transaction writes the import row and moves the chain head to the trail's end, so that records appended
 * while the import runs are chained after the trail's last record and numbered after its records. Call only on a store
 * whose chain is empty. A torn last line is not counted (nor stored by the second pass).
 */
export async function prepareImport(db: SqliteDatabase, source: string, files: readonly TrailFile[]): Promise<ImportState> {
  let count = 0;
  let newest: { text: string; id: string } | undefined;
  for (const file of files) {
    const lines = readLines(file.path, 0, file.size);
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      for (const text of next.value.lines) {
        const head = lineHead(text);
        if (head && isChained(head.kind)) {
          count++;
          newest = { text, id: head.id };
        }
      }
    }
  }
  const hash = newest ? chainHash(newest.text) : GENESIS_HASH;
  db.transaction(() => {
    db.prepare(
      `INSERT INTO audit_import (singleton, source, source_count, source_hash, source_id, file_seq, started_at)
       VALUES (1, ?, ?, ?, ?, ?, ?)`,
    ).run(source, count, hash, newest?.id ?? null, files[0]?.seq ?? 1, new Date().toISOString());
    db.prepare('UPDATE audit_chain_head SET count = ?, hash = ?, id = ?').run(count, hash, newest?.id ?? null);
  })();
  return readImportState(db)!;
}

/**
 * The second pass: stores the trail's lines from where the import row says, one transaction per chunk of lines with
 * the resume point in it (a crash loses at most the chunk in progress, and resuming stores nothing twice), yielding
 * to the event loop between chunks. The trail is only read. Returns the finished state, or the state so far when
 * `signal` stopped it.
 */
export async function runImport(
  db: SqliteDatabase,
  state: ImportState,
  events: ImportEvents = {},
  signal?: AbortSignal,
): Promise<ImportState> {
  const files = await trailFiles(state.source);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const storeLine = lineWriter(db);
  const progress = db.prepare<[number, number, number, number, number]>(
    'UPDATE audit_import SET file_seq = ?, file_offset = ?, imported = ?, lines = ?, skipped = ?',
  );
  const current = { ...state };
  const bytesBefore = (seq: number) => files.filter((file) => file.seq < seq).reduce((sum, file) => sum + file.size, 0);
  for (const file of files) {
    if (file.seq < current.fileSeq) continue;
    const from = file.seq === current.fileSeq ? current.fileOffset : 0;
    const lines = readLines(file.path, from, file.size);
    let next = await lines.next();
    for (; !next.done; next = await lines.next()) {
      const batch = next.value;
      db.transaction(() => {
        for (const text of batch.lines) {
          const kind = storeLine(text, current.imported + 1);
          if (kind === 'chained') current.imported++;
          else if (kind === 'skipped') current.skipped++;
          current.lines++;
        }
        current.fileSeq = file.seq;
        current.fileOffset = batch.ends.at(-1)!;
        progress.run(current.fileSeq, current.fileOffset, current.imported, current.lines, current.skipped);
      })();
      events.progress?.({ ...current, bytes: bytesBefore(file.seq) + current.fileOffset, totalBytes });
      if (signal?.aborted) return current;
      await yieldToEventLoop();
    }
    if (next.value.torn > 0) events.tornLine?.(file.path, next.value.torn);
  }
  current.finishedAt = new Date().toISOString();
  db.prepare('UPDATE audit_import SET finished_at = ?').run(current.finishedAt);
  events.progress?.({ ...current, bytes: totalBytes, totalBytes });
  return current;
}

/** The trail at `source` exists and holds something. */
export async function trailToImport(source: string): Promise<TrailFile[] | undefined> {
  const files = await trailFiles(source);
  return files.some((file) => file.size > 0) ? files : undefined;
}
