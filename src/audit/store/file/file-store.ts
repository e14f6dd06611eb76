import pLimit from 'p-limit';
import type { AuditLogger } from '../../audit-logger.js';
import {
  intentRecordSchema,
  lookupRecordSchema,
  outcomeRecordSchema,
  refusalRecordSchema,
  type IntentRecord,
  type LookupRecord,
  type OutcomeRecord,
  type RefusalRecord,
} from '../../records.js';
import { chainedText, chainHash } from '../chain.js';
import {
  AuditStoreError,
  type AuditStore,
  type HistoryPage,
  type HistoryQuery,
  type LiftEnd,
  type IntentWithLift,
  type LiftPlan,
  type PostedMessage,
} from '../contract.js';
import type { ActiveFile } from './active-file.js';
import { openLog } from './open-log.js';
import { writeCheckpoint } from './checkpoint.js';
import type { BatchRecord } from '../../batch-record.js';
import { BatchFile } from './batches.js';
import { nodeFs, type StoreFs } from './fs.js';
import { FileLock } from './lock.js';
import { pruneLookupsInFile } from './prune.js';
import { readEntry, readHistory, type LogSnapshot } from './queries.js';
import { logFiles } from './segments.js';
import { forEachLine } from './line-reader.js';
import { chainedKinds, lineHead, parseLine } from './lines.js';
import { mergeLoaded } from './background-load.js';
import { readStanding } from './standing.js';
import { StoreState } from './state.js';
import { verifyFiles } from './verify-files.js';

export type FileAuditStoreOptions = {
  /** The active file (AUDIT_LOG); segments, the lock and the checkpoint live beside it. */
  path: string;
  logger: AuditLogger;
  /** Rotate the active file into a segment once it holds this many bytes. @default 67108864 (64 MiB) */
  rotateBytes?: number;
  /** Write the checkpoint after this many appends. @default 5000 */
  checkpointEvery?: number;
  /**
   * A log without checkpoint bigger than this is read in the background after opening (background-load.ts).
   * @default 67108864 (64 MiB)
   */
  backgroundReadBytes?: number;
  /** File-system calls (tests inject failures). @default node:fs/promises */
  fs?: StoreFs;
};

/**
 * The default audit store: JSON Lines in AUDIT_LOG, one process per file (see contract.ts for the behaviour every
 * store keeps). Every write is serialized and flushed before it resolves; the live state is in memory
 * (state.ts) and summarized in a checkpoint, so opening reads only what was written since.
 */
export class FileAuditStore implements AuditStore {
  readonly kind = 'file' as const;
  readonly location: string;
  private readonly fs: StoreFs;
  /**
   * A history query reads the log backwards (a byte search, CPU-bound per megabyte). Cards and mute-status answers ask
   * for the same sanctioned accounts over and over: identical queries in flight share one scan, and at most two scans
   * run at once, so a burst of lookups queues for history instead of saturating the event loop.
   */
  private readonly historyScans = pLimit(2);
  private readonly historyInFlight = new Map<string, Promise<HistoryPage>>();
  private readonly lock: FileLock;
  private readonly batchFile: BatchFile;
  private readonly rotateBytes: number;
  private readonly checkpointEvery: number;
  private active: ActiveFile | undefined;
  private state = new StoreState();
  private queue: Promise<unknown> = Promise.resolve();
  private writesSinceCheckpoint = 0;
  /** Lookups waiting for the next write (appendLookup). */
  private pendingLookups: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private failing = false;
  private closed = false;
  /** False while a large log is read in the background (background-load.ts). */
  private complete = true;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: FileAuditStoreOptions) {
    this.location = options.path;
    this.fs = options.fs ?? nodeFs;
    this.lock = new FileLock(`${options.path}.lock`, this.fs, options.logger);
    this.batchFile = new BatchFile(this.fs, options.path);
    this.rotateBytes = options.rotateBytes ?? 64 * 1024 * 1024;
    this.checkpointEvery = options.checkpointEvery ?? 5000;
  }

  async open(): Promise<void> {
    const { path, logger } = this.options;
    await this.fs.mkdir(dirnameOf(path), { recursive: true, mode: 0o700 }).catch(() => undefined);
    await this.lock.acquire(this.location);
    try {
      const opened = await openLog({ fs: this.fs, path, logger, backgroundReadBytes: this.options.backgroundReadBytes ?? 64 * 2 ** 20 });
      this.active = opened.active;
      this.state = opened.state;
      await this.batchFile.load();
      if (opened.checkpointNow) await this.checkpoint();
      if (opened.background) this.mergeWhenRead(opened.background);
    } catch (error) {
      await this.lock.release();
      if (error instanceof AuditStoreError) throw error;
      throw new AuditStoreError(this.location, systemReason(error, 'cannot be read'), { cause: error });
    }
  }

  /** Resolves once the whole log has been read (at once, unless a large log without checkpoint is read in the background). */
  loaded(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  /** Adds what the background read found (background-load.ts) between two writes; checkpoints resume after it. */
  private mergeWhenRead(background: Promise<StoreState>): void {
    this.complete = false;
    this.loading = background
      .then((loaded) =>
        this.serial(async () => {
          mergeLoaded(this.state, loaded);
          this.complete = true;
          await this.checkpoint();
        }),
      )
      .catch((error: unknown) => {
        this.options.logger.error(
          { path: this.location, err: error },
          'audit log: reading the older records failed; what they left unposted or unsettled waits for the next start',
        );
      });
  }

  async close(): Promise<void> {
    await this.loading;
    return this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      if (this.active) await this.checkpoint();
      await this.active?.close();
      this.active = undefined;
      await this.lock.release();
    });
  }

  async ready(): Promise<boolean> {
    if (this.closed || !this.active) return false;
    if (!this.failing) return true;
    return this.serial(async () => (this.active ? this.active.probe() : false));
  }

  appendIntent(intent: IntentRecord, options: { owner: string; leaseUntil: number; lift?: LiftPlan }): Promise<void> {
    const record = intentRecordSchema.parse(intent);
    return this.serial(async () => {
      const lines = [
        JSON.stringify({ kind: 'lease', id: record.id, owner: options.owner, until: options.leaseUntil }),
        ...(options.lift ? [JSON.stringify({ kind: 'lift', id: record.id, liftAt: options.lift.liftAt })] : []),
      ];
      await this.writeChained(record, lines);
      this.state.addIntent(record, { owner: options.owner, until: options.leaseUntil }, options.lift?.liftAt);
    });
  }

  appendIntents(intents: readonly IntentWithLift[], options: { owner: string; leaseUntil: number }): Promise<void> {
    const records = intents.map(({ intent, lift }) => ({ record: intentRecordSchema.parse(intent), ...(lift ? { lift } : {}) }));
    return this.serial(async () => {
      // Every record chained to the one before it, all in one flushed write: a crash keeps all of them or none.
      const lines: string[] = [];
      let head = this.state.head;
      for (const { record, lift } of records) {
        const text = chainedText(record, head.hash);
        head = { count: head.count + 1, hash: chainHash(text), id: record.id };
        lines.push(text, JSON.stringify({ kind: 'lease', id: record.id, owner: options.owner, until: options.leaseUntil }));
        if (lift) lines.push(JSON.stringify({ kind: 'lift', id: record.id, liftAt: lift.liftAt }));
      }
      if (lines.length === 0) return;
      await this.write(lines);
      this.state.head = head;
      for (const { record, lift } of records) {
        this.state.addIntent(record, { owner: options.owner, until: options.leaseUntil }, lift?.liftAt);
      }
    });
  }

  appendOutcome(outcome: OutcomeRecord): Promise<boolean> {
    const record = outcomeRecordSchema.parse(outcome);
    return this.serial(async () => {
      if (!this.state.unsettled.has(record.id)) return false;
      await this.writeChained(record);
      return this.state.settle(record);
    });
  }

  appendRefusal(refusal: RefusalRecord): Promise<void> {
    const record = refusalRecordSchema.parse(refusal);
    return this.serial(async () => {
      await this.writeChained(record);
      this.state.addRefusal(record);
    });
  }

  /**
   * Lookups share flushes: every lookup that arrives while a write is in flight goes out in the next write, with one
   * datasync for all of them (group commit). Under load that is one flush per write instead of one per command: with
   * a flush taking 10–30 ms on a busy disk, one at a time capped lookups at 30–100 a second, and the commands waiting
   * for theirs (holding their answers in memory) piled up past a minute. A failed write refuses every lookup in it.
   * Lookups are outside the hash chain, so sharing a write changes nothing the chain covers.
   */
  appendLookup(lookup: LookupRecord): Promise<void> {
    const line = JSON.stringify(lookupRecordSchema.parse(lookup));
    return new Promise<void>((resolve, reject) => {
      this.pendingLookups.push({ line, resolve, reject });
      if (this.pendingLookups.length > 1) return;
      void this.serial(async () => {
        const batch = this.pendingLookups.splice(0);
        try {
          await this.write(batch.map((pending) => pending.line));
          for (const pending of batch) pending.resolve();
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      });
    });
  }

  claimOnce(key: string, id: string, at: number): Promise<{ first: true } | { first: false; id: string }> {
    return this.serial(async () => {
      const taken = this.state.once.get(key);
      if (taken) return { first: false as const, id: taken.id };
      await this.write([JSON.stringify({ kind: 'once', id, key, at })]);
      this.state.takeOnce(key, id, at);
      return { first: true as const };
    });
  }

  async entry(id: string) {
    return readEntry(await this.snapshot(), id);
  }

  renewLeases(owner: string, ids: readonly string[], leaseUntil: number): Promise<void> {
    this.state.renewLeases(owner, ids, leaseUntil);
    return Promise.resolve();
  }

  claimUnsettled(o: { owner: string; now: number; leaseMs: number; limit: number }) {
    return Promise.resolve(this.state.claimUnsettled(o.owner, o.now, o.leaseMs, o.limit));
  }

  claimUnposted(o: { owner: string; now: number; leaseMs: number; limit: number }) {
    return Promise.resolve(this.state.claimUnposted(o.owner, o.now, o.leaseMs, o.limit));
  }

  markPosted(id: string, options: { owner: string; at: number; message?: PostedMessage }): Promise<void> {
    return this.serial(async () => {
      if (!this.state.unposted.has(id)) return;
      const where = options.message ? { channel: options.message.channel, ts: options.message.ts } : { skipped: 'no_audit_channel' };
      await this.write([JSON.stringify({ kind: 'posted', id, at: new Date(options.at).toISOString(), ...where })]);
      this.state.posted(id);
    });
  }

  postFailed(id: string, options: { owner: string; retryAt: number }): Promise<void> {
    this.state.postFailed(id, options.owner, options.retryAt);
    return Promise.resolve();
  }

  unpostedCount(): Promise<number> {
    return Promise.resolve(this.state.unposted.size);
  }

  history(query: HistoryQuery): Promise<HistoryPage> {
    const key = JSON.stringify(query);
    const shared = this.historyInFlight.get(key);
    if (shared) return shared;
    const scan = this.historyScans(async () => readHistory(await this.snapshot(), query)).finally(() => this.historyInFlight.delete(key));
    this.historyInFlight.set(key, scan);
    return scan;
  }

  claimDueLifts(o: { owner: string; now: number; leaseMs: number; limit: number }) {
    return Promise.resolve(this.state.claimDueLifts(o.owner, o.now, o.leaseMs, o.limit));
  }

  finishLift(sanctionId: string, end: LiftEnd): Promise<void> {
    return this.serial(async () => {
      if (!this.state.lifts.has(sanctionId)) return;
      await this.write([JSON.stringify({ kind: 'lift_end', id: sanctionId, ...end })]);
      this.state.finishLift(sanctionId, end);
    });
  }

  pendingLifts(accids: readonly string[]) {
    return Promise.resolve(this.state.pendingLifts(accids));
  }

  async standingSanctions(options: { limit: number }) {
    await this.loading;
    return readStanding(await this.snapshot(), options.limit);
  }

  async head() {
    await this.loading;
    return { ...this.state.head };
  }

  async verify() {
    return verifyFiles(this.fs, (await this.snapshot()).files);
  }

  async *records(options: { since?: number } = {}): AsyncGenerator<string> {
    const since = options.since ?? Number.NEGATIVE_INFINITY;
    for (const file of (await this.snapshot()).files) {
      const texts: string[] = [];
      await forEachLine(
        this.fs,
        file.path,
        (buffer, start, end) => {
          const kind = lineHead(buffer, start, end)?.kind;
          if (kind === undefined || !chainedKinds.has(kind)) return;
          const text = buffer.toString('utf8', start, end);
          if (Date.parse((parseLine(text) as { at?: string }).at ?? '') >= since) texts.push(text);
        },
        { to: file.size },
      );
      yield* texts;
    }
  }

  async pruneLookups(before: number): Promise<number> {
    // Rewriting files while older records are read in the background would make that read count some twice.
    await this.loading;
    const { files } = await this.snapshot();
    let dropped = 0;
    // Rotated segments are no longer written to; the active file is rewritten between two appends.
    for (const file of files.slice(0, -1)) dropped += await pruneLookupsInFile(this.fs, file.path, before);
    dropped += await this.serial(async () => {
      const active = this.opened();
      await active.close();
      try {
        return await pruneLookupsInFile(this.fs, active.path, before);
      } finally {
        await active.open();
        await this.checkpoint();
      }
    });
    return dropped;
  }

  // ── Writing ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Appends a chained record (its `prev` the current head) with `extra` lines in the same flushed write. */
  private async writeChained(record: IntentRecord | OutcomeRecord | RefusalRecord, extra: string[] = []): Promise<void> {
    const text = chainedText(record, this.state.head.hash);
    await this.write([text, ...extra]);
    this.state.head = { count: this.state.head.count + 1, hash: chainHash(text), id: record.id };
  }

  private async write(lines: string[]): Promise<void> {
    const active = this.opened();
    try {
      await active.append(lines, this.location);
      this.failing = false;
    } catch (error) {
      this.failing = true;
      throw error;
    }
    if (active.size >= this.rotateBytes) {
      const segment = await active.rotate();
      this.options.logger.info?.({ path: this.location, segment }, 'audit log rotated');
      await this.checkpoint();
    } else if (++this.writesSinceCheckpoint >= this.checkpointEvery) {
      await this.checkpoint();
    }
  }

  private async checkpoint(): Promise<void> {
    const active = this.active;
    const identity = active?.fileIdentity;
    // A checkpoint covers everything before its offset: not while older records are still being read.
    if (!active || !identity || !this.complete) return;
    this.writesSinceCheckpoint = 0;
    try {
      await writeCheckpoint(this.fs, this.location, { seq: active.seq, ...identity, size: active.size }, this.state);
    } catch (error) {
      this.options.logger.warn(
        { path: this.location, err: error },
        'audit log: the checkpoint could not be written; the next start reads more',
      );
    }
  }

  private opened(): ActiveFile {
    if (this.closed || !this.active) throw new AuditStoreError(this.location, this.closed ? 'closed' : 'not opened');
    return this.active;
  }

  private async snapshot(): Promise<LogSnapshot> {
    const size = await this.serial(() => Promise.resolve(this.opened().size));
    const files = await logFiles(this.fs, this.location);
    const sized = await Promise.all(
      files.map(async (file, n) => (n === files.length - 1 ? { ...file, size } : { ...file, size: (await this.fs.stat(file.path)).size })),
    );
    return { files: sized, state: this.state, fs: this.fs };
  }

  saveBatch(batch: BatchRecord): Promise<void> {
    return this.serial(async () => {
      this.opened();
      await this.batchFile.save([batch]);
    });
  }

  batch(id: string): Promise<BatchRecord | undefined> {
    return Promise.resolve(this.batchFile.get(id));
  }

  /** One process per file (the lock): a batch still `running` with its lease expired was left by a process that died. */
  claimInterruptedBatches(options: { owner: string; now: number; limit: number }): Promise<BatchRecord[]> {
    return this.serial(async () => {
      this.opened();
      const left = this.batchFile
        .running()
        .filter((batch) => batch.leaseUntil < options.now)
        .slice(0, options.limit)
        .map((batch): BatchRecord => ({ ...batch, state: 'interrupted', updatedAt: options.now }));
      if (left.length > 0) await this.batchFile.save(left);
      return left;
    });
  }

  /** Runs `task` after every task queued before it, so writes never interleave and the chain stays in order. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const done = this.queue.then(task);
    this.queue = done.catch(() => undefined);
    return done;
  }
}

function dirnameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? (slash === 0 ? '/' : '.') : path.slice(0, slash);
}

function systemReason(error: unknown, fallback: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : fallback;
}
