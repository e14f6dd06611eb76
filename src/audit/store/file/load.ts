import { intentRecordSchema, outcomeRecordSchema, refusalRecordSchema } from '../../records.js';
import { chainHash } from '../chain.js';
import type { Checkpoint } from './checkpoint.js';
import type { StoreFs } from './fs.js';
import { forEachLine } from './line-reader.js';
import { leaseLineSchema, lineHeadAt, liftLineSchema, onceLineSchema, parseLine } from './lines.js';
import { segmentPath, type LogFile } from './segments.js';
import { ONCE_KEY_MS, StoreState, type Claim } from './state.js';

type LoadLogger = { warn(details: Record<string, unknown>, message: string): void };

/** Where reading must start: a file (by sequence) and a byte offset in it; every later file is read whole. */
export type ScanStart = { seq: number; offset: number };

/**
 * Rebuilds the live state from the log's lines after `start` on top of `base` (the checkpoint's, or empty). Lines are
 * sorted by their first bytes; only the few that stay live at the end are parsed in full, so a start over a log of
 * lookups and long-finished updates costs one read of the bytes, in bounded memory.
 */
export async function scanLog(
  fs: StoreFs,
  files: readonly LogFile[],
  start: ScanStart,
  base: StoreState,
  logger: LoadLogger,
  /** Read each file only up to this many bytes (a read in the background, while appends go on). */
  sizes?: ReadonlyMap<string, number>,
): Promise<{ state: StoreState; bytes: number; skipped: number }> {
  const raw = new RawState(base);
  let bytes = 0;
  for (const file of files) {
    if (file.seq < start.seq) continue;
    const from = file.seq === start.seq ? start.offset : 0;
    let skippedHere = 0;
    const end = await forEachLine(
      fs,
      file.path,
      (buffer, lineStart, lineEnd, offset) => {
        if (!raw.apply(buffer, lineStart, lineEnd, { path: file.path, offset })) skippedHere++;
      },
      { from, ...(sizes?.has(file.path) ? { to: sizes.get(file.path)! } : {}) },
    );
    bytes += Math.max(0, end - from);
    if (skippedHere > 0) logger.warn({ path: file.path, lines: skippedHere }, 'audit log: skipped lines that do not parse');
    raw.skipped += skippedHere;
  }
  await raw.readBack(fs);
  return { state: raw.materialize(logger), bytes, skipped: raw.skipped };
}

/** Where to start reading, given a checkpoint: after it when its file is still there as it was, else everything. */
export async function scanStart(
  fs: StoreFs,
  activePath: string,
  files: readonly LogFile[],
  checkpoint: Checkpoint | undefined,
): Promise<ScanStart | undefined> {
  if (!checkpoint) return undefined;
  const { seq, dev, ino, size } = checkpoint.file;
  const active = files.at(-1)!;
  // The checkpoint's file is the active one, or was rotated into segment `seq` after the checkpoint was written.
  for (const candidate of [activePath, segmentPath(activePath, seq)]) {
    const stats = await fs.stat(candidate).catch(() => undefined);
    if (stats && stats.dev === dev && stats.ino === ino && stats.size >= size) {
      return { seq: candidate === activePath ? active.seq : seq, offset: size };
    }
  }
  return undefined;
}

/** Where a line is: only the lines still live at the end are read again (and parsed), so most are never decoded. */
type LineRef = { path: string; offset: number; length: number };
type Text = string | LineRef;

/** The live state while lines are read: where the live records are, read back and parsed at the end. */
class RawState {
  skipped = 0;
  private count: number;
  private lastChained: { text: Text; id: string } | undefined;
  private nextOrder: number;
  private readonly unsettled = new Map<string, { text: Text; order: number; lease: Claim }>();
  private readonly unposted = new Map<string, { first: Text; outcome?: Text; order: number }>();
  private readonly lifts = new Map<string, { text: Text; liftAt: number }>();
  private readonly once: Map<string, { id: string; at: number }>;
  private onceSinceExpiry = 0;

  constructor(private readonly base: StoreState) {
    this.count = base.head.count;
    this.nextOrder = base.nextOrder;
    for (const [id, { intent, order, lease }] of base.unsettled) this.unsettled.set(id, { text: JSON.stringify(intent), order, lease });
    for (const [id, { entry, order }] of base.unposted) {
      this.unposted.set(
        id,
        entry.kind === 'update'
          ? { first: JSON.stringify(entry.intent), outcome: JSON.stringify(entry.outcome), order }
          : { first: JSON.stringify(entry.refusal), order },
      );
    }
    for (const [id, { intent, liftAt }] of base.lifts) this.lifts.set(id, { text: JSON.stringify(intent), liftAt });
    this.once = new Map(base.once);
  }

  /** False when the line is not one this store reads. */
  apply(buffer: Buffer, start: number, end: number, where: { path: string; offset: number }): boolean {
    const at = lineHeadAt(buffer, start, end);
    // Most lines are lookups: passed over without building a single string.
    if (at?.kind === 'lookup') return true;
    const head = at
      ? { kind: at.kind, id: buffer.toString('utf8', at.idStart, at.idEnd) }
      : headOf(parseLine(buffer.toString('utf8', start, end)));
    if (!head) return false;
    const { kind, id } = head;
    switch (kind) {
      case 'lookup':
        return true;
      case 'intent':
      case 'refusal':
      case 'outcome':
        return this.chained(kind, id, { path: where.path, offset: where.offset, length: end - start });
      case 'posted':
        this.unposted.delete(id);
        return true;
      default:
        return this.stateLine(parseLine(buffer.toString('utf8', start, end)));
    }
  }

  private chained(kind: string, id: string, text: LineRef): boolean {
    this.count++;
    if (this.lastChained) {
      this.lastChained.text = text;
      this.lastChained.id = id;
    } else this.lastChained = { text, id };
    if (kind === 'intent') this.unsettled.set(id, { text, order: this.nextOrder++, lease: { owner: 'v1', until: 0 } });
    else if (kind === 'refusal') this.unposted.set(id, { first: text, order: this.nextOrder++ });
    else {
      const intent = this.unsettled.get(id);
      // An outcome whose intent is missing (a torn line) or already settled has nothing to post.
      if (!intent) return true;
      this.unsettled.delete(id);
      this.unposted.set(id, { first: intent.text, outcome: text, order: intent.order });
    }
    return true;
  }

  private stateLine(value: unknown): boolean {
    const lease = leaseLineSchema.safeParse(value);
    if (lease.success) {
      const intent = this.unsettled.get(lease.data.id);
      if (intent) intent.lease = { owner: lease.data.owner, until: lease.data.until };
      return true;
    }
    const lift = liftLineSchema.safeParse(value);
    if (lift.success) {
      const text = this.unsettled.get(lift.data.id)?.text;
      if (text) this.lifts.set(lift.data.id, { text, liftAt: lift.data.liftAt });
      return true;
    }
    const once = onceLineSchema.safeParse(value);
    if (once.success) {
      this.once.set(once.data.key, { id: once.data.id, at: once.data.at });
      if (++this.onceSinceExpiry >= 10_000) this.expireOnce();
      return true;
    }
    const kind = (value as { kind?: unknown }).kind;
    if (kind === 'lift_end') {
      this.lifts.delete((value as { id: string }).id);
      return true;
    }
    return false;
  }

  private expireOnce(): void {
    this.onceSinceExpiry = 0;
    let newest = 0;
    for (const { at } of this.once.values()) newest = Math.max(newest, at);
    for (const [key, { at }] of this.once) if (at < newest - ONCE_KEY_MS) this.once.delete(key);
  }

  /** Reads the lines still referenced (the live ones and the last chained record) back as text. */
  async readBack(fs: StoreFs): Promise<void> {
    const refs: LineRef[] = [];
    const add = (text: Text | undefined) => void (text !== undefined && typeof text !== 'string' && refs.push(text));
    add(this.lastChained?.text);
    for (const { text } of this.unsettled.values()) add(text);
    for (const { first, outcome } of this.unposted.values()) [first, outcome].forEach(add);
    for (const { text } of this.lifts.values()) add(text);
    const texts = new Map<LineRef, string>();
    for (const path of new Set(refs.map((ref) => ref.path))) {
      const handle = await fs.open(path, 'r');
      try {
        for (const ref of refs.filter((candidate) => candidate.path === path)) {
          const buffer = Buffer.alloc(ref.length);
          await handle.read(buffer, 0, ref.length, ref.offset);
          texts.set(ref, buffer.toString('utf8'));
        }
      } finally {
        await handle.close();
      }
    }
    const resolve = (text: Text) => (typeof text === 'string' ? text : texts.get(text)!);
    if (this.lastChained) this.lastChained.text = resolve(this.lastChained.text);
    for (const entry of this.unsettled.values()) entry.text = resolve(entry.text);
    for (const entry of this.unposted.values()) {
      entry.first = resolve(entry.first);
      if (entry.outcome !== undefined) entry.outcome = resolve(entry.outcome);
    }
    for (const entry of this.lifts.values()) entry.text = resolve(entry.text);
  }

  /** The live state, parsed (after readBack, every text is a string). */
  materialize(logger: LoadLogger): StoreState {
    const state = new StoreState();
    state.head = this.lastChained
      ? { count: this.count, hash: chainHash(this.lastChained.text as string), id: this.lastChained.id }
      : this.base.head;
    state.nextOrder = this.nextOrder;
    const parse = <T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, text: Text, id: string) => {
      const parsed = schema.safeParse(parseLine(text as string));
      if (!parsed.success) logger.warn({ id }, 'audit log: a live record does not match its schema; left out');
      return parsed.success ? parsed.data : undefined;
    };
    for (const [id, { text, order, lease }] of this.unsettled) {
      const intent = parse(intentRecordSchema, text, id);
      if (intent) state.unsettled.set(id, { intent, order, lease });
    }
    for (const [id, { first, outcome, order }] of this.unposted) {
      if (outcome === undefined) {
        const refusal = parse(refusalRecordSchema, first, id);
        if (refusal) state.unposted.set(id, { entry: { kind: 'refusal', refusal }, order });
        continue;
      }
      const [intent, settled] = [parse(intentRecordSchema, first, id), parse(outcomeRecordSchema, outcome, id)];
      if (intent && settled && intent.batch === undefined)
        state.unposted.set(id, { entry: { kind: 'update', intent, outcome: settled }, order });
    }
    for (const [id, { text, liftAt }] of this.lifts) {
      const intent = parse(intentRecordSchema, text, id);
      if (intent) state.lifts.set(id, { intent, liftAt });
    }
    for (const [key, once] of this.once) state.once.set(key, once);
    state.expireOnceKeys();
    return state;
  }
}

function headOf(value: unknown): { kind: string; id: string } | undefined {
  const { kind, id } = (value ?? {}) as { kind?: unknown; id?: unknown };
  return typeof kind === 'string' && typeof id === 'string' ? { kind, id } : undefined;
}
