import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { OutcomeRecord, RefusalRecord } from '../../../../src/audit/records.js';
import { PostgresAuditStore } from '../../../../src/audit/store/postgres/store.js';
import { postgresUnavailableReason, startPostgresServer, type PostgresServer } from '../../../support/postgres-server.js';

/** Why the PostgreSQL tests skip here, if they do: said in the suite's title so a skip is never silent. */
export const postgresMissing = postgresUnavailableReason();

/** One server for the test file, started before its tests and stopped after them. */
export function usePostgresServer(): { server: () => PostgresServer } {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    if (!postgresMissing) server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    server: () => {
      if (!server) throw new Error('PostgreSQL server not started');
      return server;
    },
  };
}

export const silentLogger = pino({ level: 'silent' });

export function postgresStore(url: string, options: { queryTimeoutMs?: number; connectTimeoutMs?: number } = {}) {
  return new PostgresAuditStore({ url, logger: silentLogger, ...options });
}

export const sampleOutcome = (overrides: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  kind: 'outcome',
  id: 'corr-1',
  at: '2026-11-22T03:00:01.000Z',
  status: 'applied',
  ...overrides,
});

export const sampleRefusal = (overrides: Partial<RefusalRecord> = {}): RefusalRecord => ({
  kind: 'refusal',
  id: 'ref-1',
  at: '2026-11-22T03:00:02.000Z',
  actor: 'U0GUEST1',
  action: 'update_user_card',
  command: 'edit card modal',
  target: { accid: 'alice' },
  refusal: { reason: 'guest' },
  ...overrides,
});
