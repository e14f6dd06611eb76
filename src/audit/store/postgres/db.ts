import pg from 'pg';
import { AuditStoreError } from '../contract.js';
import { postgresStoreError } from './errors.js';

/** What the store's parts need from the database: a query, and a transaction. Errors come out as AuditStoreError. */
export type Db = {
  query<Row extends pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A statement whose rows are not wanted: how many rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  transaction<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T>;
};

export type PostgresPoolOptions = {
  url: string;
  location: string;
  /** Connections per process. @default 10 */
  poolSize?: number;
  /** How long to wait for a connection before the call fails, in ms. @default 5000 */
  connectTimeoutMs?: number;
  /** How long one query may take before the call fails, in ms (a hung database must not hang an update). @default 10000 */
  queryTimeoutMs?: number;
  /** Told about a pooled connection that broke while idle (the database restarted): the pool replaces it. */
  onIdleError: (error: Error) => void;
};

/** A pool that turns every failure into an AuditStoreError naming the location, never the URL. */
export function openPool(options: PostgresPoolOptions): { pool: pg.Pool; db: Db } {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'im-admin audit',
  });
  // Without a listener, an idle connection dropped by the server would be an unhandled 'error' and end the process.
  pool.on('error', options.onIdleError);
  const fail = (error: unknown): never => {
    throw postgresStoreError(options.location, error);
  };
  const db: Db = {
    async query<Row extends pg.QueryResultRow>(sql: string, params: readonly unknown[] = []) {
      try {
        return (await pool.query<Row>(sql, params as unknown[])).rows;
      } catch (error) {
        return fail(error);
      }
    },
    async run(sql: string, params: readonly unknown[] = []) {
      try {
        return (await pool.query(sql, params as unknown[])).rowCount ?? 0;
      } catch (error) {
        return fail(error);
      }
    },
    async transaction<T>(work: (client: pg.ClientBase) => Promise<T>) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        return fail(error);
      }
      let broken: Error | undefined;
      // A checked-out client has no pool listener: a connection dropped between two statements would otherwise be
      // an unhandled 'error' event and end the process. The statement in progress rejects on its own.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        // A caller's mistake (an outcome for an unknown intent), not the database's: said as it is.
        if (error instanceof RangeError) throw error;
        return fail(error);
      } finally {
        // A connection that could not even roll back is dropped rather than handed to the next caller.
        client.off('error', onError);
        client.release(broken);
      }
    },
  };
  return { pool, db };
}

/** What a store that is not open answers: every call rejects, as the contract says appends after close do. */
export function closedDb(location: string): Db {
  const reject = () => Promise.reject(new AuditStoreError(location, 'store is not open'));
  return { query: reject, run: reject, transaction: reject };
}
