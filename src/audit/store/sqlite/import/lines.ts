import { z } from 'zod';
import { outcomeStatuses } from '../../../records.js';

/**
 * The lines of the file store's JSON Lines trail, as it wrote them. Chained records (intent, outcome, refusal) and
 * lookups have records.ts's shapes; the rest is the file store's own bookkeeping, read here only to take over what
 * the old trail left live. Every line is parsed again: a torn or hand-edited line is skipped, never trusted.
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

/** What the chain and the indexes need of a chained line, read leniently: the chain keeps every chained line. */
export const chainedLineSchema = z.object({
  kind: z.enum(['intent', 'outcome', 'refusal']),
  id,
  at: z.string().optional(),
  actor: z.string().optional(),
  target: z.object({ accid: z.string() }).optional(),
  status: z.enum(outcomeStatuses).optional(),
});
export const lookupLineSchema = z.object({ kind: z.literal('lookup'), id, at: z.string(), actor: z.string() });

const chainedKinds = new Set(['intent', 'outcome', 'refusal']);
const PREFIX = '{"kind":"';
const ID_INFIX = '","id":"';

/**
 * The kind and id of a line, from its first bytes when it starts the way the file store wrote every line
 * (`{"kind":"…","id":"…"`), else by parsing it; undefined when neither works (a torn write). Chained or not is decided
 * as the file store's verifier decided it, and the import's first pass (counting) and second (storing) both decide
 * with this one function, so they agree on every record's chain position.
 */
export function lineHead(text: string): { kind: string; id: string } | undefined {
  if (text.startsWith(PREFIX)) {
    const kindEnd = text.indexOf('"', PREFIX.length);
    if (kindEnd > 0 && text.startsWith(ID_INFIX, kindEnd)) {
      const idStart = kindEnd + ID_INFIX.length;
      const idEnd = text.indexOf('"', idStart);
      const id = text.slice(idStart, idEnd);
      if (idEnd > idStart && idEnd - idStart <= 128 && !id.includes('\\')) return { kind: text.slice(PREFIX.length, kindEnd), id };
    }
  }
  const value = parseLine(text) as { kind?: unknown; id?: unknown } | undefined;
  return typeof value?.kind === 'string' && typeof value.id === 'string' ? { kind: value.kind, id: value.id } : undefined;
}

export function isChained(kind: string): kind is 'intent' | 'outcome' | 'refusal' {
  return chainedKinds.has(kind);
}

/** A line's JSON value, or undefined when it does not parse. */
export function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
