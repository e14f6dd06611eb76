import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { auditRecordSchema, type AuditRecord } from './records.js';

/** The part of a pino logger the audit trail uses. */
export type AuditLogger = {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
};

/** The audit log could not be written. For an intent this means the update must not happen. */
export class AuditWriteError extends Error {
  readonly code = 'audit_write_failed';
  constructor(
    readonly path: string,
    /** The system error code (ENOTDIR, ENOSPC, EACCES…) when there is one. */
    readonly reason: string,
    options: ErrorOptions & { cause: unknown },
  ) {
    super(`The audit log ${path} cannot be written (${reason}), so nothing was changed`, options);
    this.name = 'AuditWriteError';
  }
}

export type AuditLogReading = {
  /** Every line that parsed, in file order. */
  records: AuditRecord[];
  /** Lines that did not parse (a torn write after a crash, a hand edit): 1-based line numbers. */
  skippedLines: number[];
};

/**
 * Append-only JSONL. Each `append` resolves only once the line is written and flushed to disk (`datasync`); appends
 * are serialized so lines never interleave. The file is created (mode 0600, it holds personal data) with its
 * directory on first use.
 */
export class AuditLog {
  private handle: FileHandle | undefined;
  /** The file does not end with a newline (a torn write, at a crash or a failed append): start the next line afresh. */
  private needsNewline = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly logger?: AuditLogger,
  ) {}

  /**
   * Writes one record and flushes it. Rejects with AuditWriteError when the disk write fails. The record is checked
   * against the same schema readAll() uses, so nothing is written that recovery would have to skip.
   */
  append(record: AuditRecord): Promise<void> {
    const done = this.queue.then(() => this.write(`${JSON.stringify(auditRecordSchema.parse(record))}\n`));
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** Reads every record back (for recovery at start). Lines that do not parse are skipped with a warning. */
  async readAll(): Promise<AuditLogReading> {
    await this.queue;
    let text: string;
    try {
      const handle = await open(this.path, 'r');
      try {
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (systemCode(error) === 'ENOENT') return { records: [], skippedLines: [] };
      throw new AuditWriteError(this.path, systemCode(error) ?? 'unreadable', { cause: error });
    }
    const records: AuditRecord[] = [];
    const skippedLines: number[] = [];
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      const parsed = auditRecordSchema.safeParse(parseJson(line));
      if (parsed.success) records.push(parsed.data);
      else skippedLines.push(index + 1);
    });
    if (skippedLines.length > 0) {
      this.logger?.warn({ path: this.path, lines: skippedLines }, 'audit log: skipped lines that do not parse');
    }
    return { records, skippedLines };
  }

  /** Closes the file. A later append reopens it. */
  async close(): Promise<void> {
    await this.queue;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async write(line: string): Promise<void> {
    try {
      const handle = await this.opened();
      await handle.write(this.needsNewline ? `\n${line}` : line);
      this.needsNewline = false;
      await handle.datasync();
    } catch (error) {
      // Part of the line may have reached the file: the next record starts on a new line.
      this.needsNewline = true;
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close().catch(() => undefined);
      throw new AuditWriteError(this.path, systemCode(error) ?? 'write failed', { cause: error });
    }
  }

  private async opened(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const handle = await open(this.path, 'a+', 0o600);
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) this.needsNewline = true;
    }
    this.handle = handle;
    return handle;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
