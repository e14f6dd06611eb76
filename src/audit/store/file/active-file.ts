import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditStoreError } from '../contract.js';
import { systemCode, type StoreFs } from './fs.js';
import { segmentPath } from './segments.js';

type ActiveFileLogger = {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
};

/**
 * The file appends go to. Each `append` writes whole lines and resolves once they are flushed (`datasync`); if the
 * write or the flush fails, the file is cut back to where it was, so a refused record leaves no trace. Before each
 * append the path is checked against the open file (device and inode): a file deleted or moved away while in use is
 * recreated, with an error logged, instead of writing on into a file nobody will read.
 *
 * Not concurrent: the store serializes calls.
 */
export class ActiveFile {
  private handle: FileHandle | undefined;
  private identity: { dev: number; ino: number } | undefined;
  private bytes = 0;

  constructor(
    readonly path: string,
    /** The active file's sequence number: it becomes segment `seq` when rotated. */
    public seq: number,
    private readonly fs: StoreFs,
    private readonly logger: ActiveFileLogger,
  ) {}

  get size(): number {
    return this.bytes;
  }

  /** Opens (creating it, mode 0600, with its directory) and cuts off a torn last line left by a crash. */
  async open(): Promise<{ dev: number; ino: number; size: number }> {
    await this.fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const handle = await this.fs.open(this.path, 'a+', 0o600);
    const stats = await handle.stat();
    let size = stats.size;
    if (size > 0) size = await this.cutTornTail(handle, size);
    this.handle = handle;
    this.identity = { dev: stats.dev, ino: stats.ino };
    this.bytes = size;
    return { ...this.identity, size };
  }

  get fileIdentity(): { dev: number; ino: number } | undefined {
    return this.identity;
  }

  /** Writes `lines` (each without newline) in one write and flushes them. Rejects with AuditStoreError. */
  async append(lines: readonly string[], location: string): Promise<void> {
    const data = Buffer.from(`${lines.join('\n')}\n`);
    let handle: FileHandle | undefined;
    let before = this.bytes;
    try {
      handle = await this.current();
      before = this.bytes;
      await handle.write(data, 0, data.length);
      await handle.datasync();
      this.bytes += data.length;
    } catch (error) {
      if (handle) await handle.truncate(before).catch(() => undefined);
      throw new AuditStoreError(location, systemCode(error) ?? 'write failed', { cause: error });
    }
  }

  /** Flushes without writing: the readiness probe after a failure. */
  async probe(): Promise<boolean> {
    try {
      await (await this.current()).datasync();
      return true;
    } catch {
      return false;
    }
  }

  /** Renames the active file to segment `seq` and starts a new, empty active file. */
  async rotate(): Promise<string> {
    const segment = segmentPath(this.path, this.seq);
    await this.close();
    await this.fs.rename(this.path, segment);
    this.seq++;
    await this.open();
    return segment;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async current(): Promise<FileHandle> {
    if (this.handle && (await this.stillAtPath())) return this.handle;
    if (this.handle) {
      this.logger.error(
        { path: this.path },
        'audit log: the file was deleted or moved away while in use; starting a new one (the records it held are not at this path any more, so `npm run audit -- verify` will name the gap)',
      );
      await this.close();
    }
    await this.open();
    return this.handle!;
  }

  private async stillAtPath(): Promise<boolean> {
    try {
      const stats = await this.fs.stat(this.path);
      return stats.dev === this.identity?.dev && stats.ino === this.identity.ino;
    } catch {
      return false;
    }
  }

  private async cutTornTail(handle: FileHandle, size: number): Promise<number> {
    const window = Math.min(size, 64 * 1024);
    const tail = Buffer.alloc(window);
    await handle.read(tail, 0, window, size - window);
    if (tail[window - 1] === 0x0a) return size;
    const lastNewline = tail.lastIndexOf(0x0a);
    // A line longer than the window without a newline before it: leave the file as it is, start the next line afresh.
    if (lastNewline < 0 && window < size) {
      await handle.write('\n');
      return size + 1;
    }
    const keep = size - window + lastNewline + 1;
    this.logger.warn({ path: this.path, bytes: size - keep }, 'audit log: cut off a torn last line left by a crash');
    await handle.truncate(keep);
    return keep;
  }
}
