import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { AuditStoreError } from '../contract.js';
import { isBusy, sqliteReason } from './errors.js';

type HolderLogger = { warn(details: Record<string, unknown>, message: string): void };
type HolderRow = { host: string; pid: number; since: string };

/**
 * One process per audit database. Who is alive is the operating system's to say, not a file's: the process keeps an
 * exclusive transaction open on a small lock database beside it (`<db>.lock`), and the system drops that lock when
 * the process ends however it ends (kill -9 included), so a dead holder never blocks the next start. A holder row in
 * the database names the process for the message when a second one is refused; a row left by a process that died,
 * or carried over in a copy of the file to another machine, holds no lock and is simply taken over.
 *
 * The lock is advisory locking on a local file system (as SQLite's own); on a network share it may not hold.
 */
export class ProcessHold {
  private lock: Database.Database | undefined;

  constructor(
    /** The database's path; the lock file is `<path>.lock`. */
    readonly path: string,
    private readonly location: string,
  ) {}

  get lockPath(): string {
    return `${this.path}.lock`;
  }

  /** Takes the lock, or throws AuditStoreError naming the process that holds it. Call before migrating. */
  acquire(main: Database.Database): void {
    let lock: Database.Database | undefined;
    try {
      lock = new Database(this.lockPath, { timeout: 0 });
      lock.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      lock?.close();
      if (!isBusy(error)) {
        throw new AuditStoreError(this.location, `cannot take the lock ${this.lockPath}: ${sqliteReason(error)}`, { cause: error });
      }
      const holder = readHolder(main);
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
      throw new AuditStoreError(
        this.location,
        `held by ${who}; one process per audit database. Stop it, or use AUDIT_DATABASE_URL (PostgreSQL) to share the trail between replicas`,
        { cause: error },
      );
    }
    this.lock = lock;
  }

  /** Names this process in the holder row (after migrating); tells of a row a process that is gone left behind. */
  claim(main: Database.Database, logger: HolderLogger): void {
    const previous = readHolder(main);
    if (previous) {
      logger.warn(
        { previous, lock: this.lockPath },
        'audit database: taking over from a process that ended without closing it (or a copy of the file made while it ran)',
      );
    }
    main
      .prepare('INSERT OR REPLACE INTO audit_holder (singleton, host, pid, since) VALUES (1, ?, ?, ?)')
      .run(hostname(), process.pid, new Date().toISOString());
  }

  /** Clears the holder row (when the database is still usable) and releases the lock. */
  release(main: Database.Database | undefined): void {
    try {
      main?.prepare('DELETE FROM audit_holder').run();
    } catch {
      // A database that cannot be written any more keeps the row: the next start takes it over.
    }
    const lock = this.lock;
    this.lock = undefined;
    if (!lock) return;
    try {
      lock.exec('ROLLBACK');
    } finally {
      lock.close();
    }
  }
}

function readHolder(main: Database.Database): HolderRow | undefined {
  try {
    return main.prepare('SELECT host, pid, since FROM audit_holder').get() as HolderRow | undefined;
  } catch {
    // Not migrated yet, or unreadable: the message says "another process".
    return undefined;
  }
}
