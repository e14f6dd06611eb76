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
  why: z.enum(['unmuted', 'replaced', 'not_applied', 'already_lifted', 'schedule_mismatch']).optional(),
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

/** The kinds a line can start with, by first letter and length (no string is built to tell them apart). */
function kindAt(buffer: Buffer, start: number, length: number): string | undefined {
  switch (buffer[start]) {
    case 0x69: // i
      return length === 6 ? 'intent' : undefined;
    case 0x6f: // o
      return length === 7 ? 'outcome' : length === 4 ? 'once' : undefined;
    case 0x72: // r
      return length === 7 ? 'refusal' : undefined;
    case 0x70: // p
      return length === 6 ? 'posted' : undefined;
    case 0x6c: // l
      return length === 6 ? 'lookup' : length === 5 ? 'lease' : length === 4 ? 'lift' : length === 8 ? 'lift_end' : undefined;
    default:
      return undefined;
  }
}

/**
 * The kind and where the id is in the line `buffer[start, end)`, from its first bytes, or undefined when it does not
 * start the way this store writes lines (then the line is parsed in full, or skipped). Byte loops, no allocation
 * (the answer is one object reused until the next call): start-up runs this on every line of the log.
 */
export function lineHeadAt(buffer: Buffer, start: number, end: number): { kind: string; idStart: number; idEnd: number } | undefined {
  if (end - start < 20) return undefined;
  for (let i = 0; i < KIND_PREFIX.length; i++) if (buffer[start + i] !== KIND_PREFIX[i]) return undefined;
  const kindStart = start + KIND_PREFIX.length;
  let p = kindStart;
  while (p < end && p - kindStart <= 8 && buffer[p] !== QUOTE) p++;
  const kind = kindAt(buffer, kindStart, p - kindStart);
  if (kind === undefined) return undefined;
  p++;
  for (let i = 0; i < ID_INFIX.length; i++, p++) if (buffer[p] !== ID_INFIX[i]) return undefined;
  const idStart = p;
  while (p < end && buffer[p] !== QUOTE) {
    if (buffer[p] === BACKSLASH) return undefined;
    p++;
  }
  if (p >= end || p - idStart > 128 || p === idStart) return undefined;
  scratch.kind = kind;
  scratch.idStart = idStart;
  scratch.idEnd = p;
  return scratch;
}

/** lineHeadAt's answer, reused from call to call (valid until the next call). */
const scratch = { kind: '', idStart: 0, idEnd: 0 };

/** lineHeadAt with the id as a string. */
export function lineHead(buffer: Buffer, start: number, end: number): { kind: string; id: string } | undefined {
  const head = lineHeadAt(buffer, start, end);
  return head && { kind: head.kind, id: buffer.toString('utf8', head.idStart, head.idEnd) };
}
