import { existsSync } from 'node:fs';
import { AuditStoreError, type ChainHead, type ChainVerification } from '../contract.js';
import { readHead, recordTexts, verifyChain } from './chain-read.js';
import { openDatabase, type SqliteDatabase } from './database.js';
import { sqliteStoreError } from './errors.js';
import { readImportState } from './import/trail-import.js';

/**
 * The SQLite store opened for reading only, without taking it (`npm run audit -- head|verify|export|backup` while
 * the app runs): WAL lets a reader see a consistent snapshot while the app writes.
 */
export class SqliteTrailReader {
  readonly kind = 'sqlite' as const;
  private db: SqliteDatabase | undefined;

  constructor(readonly location: string) {}

  open(): void {
    if (!existsSync(this.location)) throw new AuditStoreError(this.location, 'no such file: check AUDIT_DB');
    try {
      this.db = openDatabase(this.location, { busyTimeoutMs: 5000, readonly: true });
      // Reading the head proves it is the audit store's database (a wrong file fails here, not halfway through).
      readHead(this.db);
    } catch (error) {
      this.close();
      throw sqliteStoreError(this.location, error);
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  head(): ChainHead {
    return this.read((db) => readHead(db));
  }

  /** Refuses while the app is still importing the old trail: until then the chain is only partly stored. */
  async verify(): Promise<ChainVerification> {
    const db = this.database();
    this.refuseDuringImport(db);
    return verifyChain(db, this.location).catch((error: unknown) => Promise.reject(sqliteStoreError(this.location, error)));
  }

  records(options: { since?: number } = {}): AsyncIterable<string> {
    const db = this.database();
    this.refuseDuringImport(db);
    return recordTexts(db, options.since);
  }

  /** SQLite's online backup into `path` (a consistent copy while the app writes). */
  async backup(path: string): Promise<void> {
    if (existsSync(path)) throw new AuditStoreError(path, 'the file exists already: back up into a new file');
    try {
      await this.database().backup(path);
    } catch (error) {
      throw sqliteStoreError(path, error);
    }
  }

  private refuseDuringImport(db: SqliteDatabase): void {
    const state = this.read(() => readImportState(db));
    if (state && !state.finishedAt) {
      throw new AuditStoreError(
        this.location,
        `the import of ${state.source} is in progress (${state.imported} of ${state.sourceCount} records); try again once the app logs that it is imported`,
      );
    }
  }

  private read<T>(work: (db: SqliteDatabase) => T): T {
    try {
      return work(this.database());
    } catch (error) {
      throw sqliteStoreError(this.location, error);
    }
  }

  private database(): SqliteDatabase {
    if (!this.db) throw new AuditStoreError(this.location, 'not open');
    return this.db;
  }
}
