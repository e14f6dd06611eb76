import { hostname } from 'node:os';
import { z } from 'zod';
import { AuditStoreError } from '../contract.js';
import { systemCode, type StoreFs } from './fs.js';

/** Lock files this process holds, so that a lock naming our own pid is told apart from one left by an earlier run. */
const heldHere = new Set<string>();

const lockSchema = z.object({ pid: z.number().int(), host: z.string(), at: z.string() });

type LockLogger = { warn(details: Record<string, unknown>, message: string): void };

/**
 * One process per log file: a lock file created with O_EXCL holding the pid and host. A lock left by a process that
 * is gone (same host, pid not running, or our own pid from an earlier run in a container) is taken over with a
 * warning; a live one refuses, naming the process.
 */
export class FileLock {
  private held = false;

  constructor(
    readonly path: string,
    private readonly fs: StoreFs,
    private readonly logger?: LockLogger,
  ) {}

  async acquire(location: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await this.fs.open(this.path, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
        } finally {
          await handle.close();
        }
        this.held = true;
        heldHere.add(this.path);
        return;
      } catch (error) {
        if (systemCode(error) !== 'EEXIST') {
          throw new AuditStoreError(location, `cannot create the lock file ${this.path}: ${systemCode(error) ?? 'failed'}`, {
            cause: error,
          });
        }
      }
      const holder = await this.holder();
      if (holder && !this.isStale(holder)) {
        throw new AuditStoreError(
          location,
          `locked by process ${holder.pid} on ${holder.host} since ${holder.at}; one process per audit log. ` +
            `Stop it, or use AUDIT_DATABASE_URL to share the trail between replicas; remove ${this.path} only if that process is gone`,
        );
      }
      this.logger?.warn({ lock: this.path, holder }, 'audit log: taking over a lock left by a process that is gone');
      await this.fs.unlink(this.path).catch(() => undefined);
    }
    throw new AuditStoreError(location, `cannot take the lock file ${this.path}`);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    await this.fs.unlink(this.path).catch(() => undefined);
  }

  private async holder(): Promise<z.infer<typeof lockSchema> | undefined> {
    try {
      const parsed = lockSchema.safeParse(JSON.parse(await this.fs.readFile(this.path, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private isStale(holder: z.infer<typeof lockSchema>): boolean {
    if (holder.host !== hostname()) return false;
    if (holder.pid === process.pid) return !heldHere.has(this.path);
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (error) {
      return systemCode(error) === 'ESRCH';
    }
  }
}
