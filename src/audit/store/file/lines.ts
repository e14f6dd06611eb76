import { z } from 'zod';
import { intentRecordSchema, outcomeRecordSchema, refusalRecordSchema } from '../../records.js';

/**
 * The lines of the file store besides the chained records (intent, outcome, refusal) and lookups, whose shapes are
 * records.ts's. Every line starts with `{"kind":"…","id":"…"`, so that start-up can sort lines by their first bytes
 * without parsing the lookups that make up most of a log.
 */
const id = z.string().min(1).max(128);

/** The audit channel has the entry (v1 wrote it without channel/ts; `skipped` when no channel was configured). */
export const postedLineSchema = z.object({
  kind: z.literal('posted'),
  id,
  at: z.iso.datetime(),
  skipped: z.literal('no_audit_channel').optional(),
  channel: z.string().max(32).optional(),
  ts: z.string().max(32).optional(),
});
/** Written with its intent: the settlement lease of the process that made it. */
export const leaseLineSchema = z.object({ kind: z.literal('lease'), id, owner: z.string().max(200), until: z.number() });
/** Written with its intent: a timed sanction to lift at `liftAt` (epoch ms). */
export const liftLineSchema = z.object({ kind: z.literal('lift'), id, liftAt: z.number() });
export const liftEndLineSchema = z.object({
  kind: z.literal('lift_end'),
  id,
  at: z.number(),
  status: z.enum(['lifted', 'cancelled']),
  liftedBy: z.string().max(128).optional(),
  why: z.enum(['unmuted', 'replaced', 'not_applied', 'already_lifted']).optional(),
  by: z.string().max(128).optional(),
});
/** An at-most-once key taken by entry `id`. */
export const onceLineSchema = z.object({ kind: z.literal('once'), id, key: z.string().min(1).max(400), at: z.number() });

export const chainedLineSchema = z.discriminatedUnion('kind', [intentRecordSchema, outcomeRecordSchema, refusalRecordSchema]);

export type PostedLine = z.infer<typeof postedLineSchema>;
export type LeaseLine = z.infer<typeof leaseLineSchema>;
export type LiftLine = z.infer<typeof liftLineSchema>;
export type LiftEndLine = z.infer<typeof liftEndLineSchema>;
export type OnceLine = z.infer<typeof onceLineSchema>;

export const chainedKinds = new Set(['intent', 'outcome', 'refusal']);

/** A line's JSON text, or undefined when it does not parse (a torn write, a hand edit). */
export function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const KIND_PREFIX = Buffer.from('{"kind":"');
const ID_INFIX = Buffer.from(',"id":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The kind and id of the line `buffer[start, end)` from its first bytes, or undefined when it does not start the way
 * this store writes lines (then the line is parsed in full, or skipped).
 */
export function lineHead(buffer: Buffer, start: number, end: number): { kind: string; id: string } | undefined {
  if (end - start < 20 || buffer.compare(KIND_PREFIX, 0, KIND_PREFIX.length, start, start + KIND_PREFIX.length) !== 0) {
    return undefined;
  }
  const kindStart = start + KIND_PREFIX.length;
  const kindEnd = buffer.indexOf(QUOTE, kindStart);
  if (kindEnd < 0 || kindEnd >= end || kindEnd - kindStart > 12) return undefined;
  const idStart = kindEnd + 1 + ID_INFIX.length;
  if (buffer.compare(ID_INFIX, 0, ID_INFIX.length, kindEnd + 1, idStart) !== 0) return undefined;
  const idEnd = buffer.indexOf(QUOTE, idStart);
  if (idEnd < 0 || idEnd >= end || idEnd - idStart > 128) return undefined;
  for (let i = idStart; i < idEnd; i++) if (buffer[i] === BACKSLASH) return undefined;
  return { kind: buffer.toString('latin1', kindStart, kindEnd), id: buffer.toString('utf8', idStart, idEnd) };
}
