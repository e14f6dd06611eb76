import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../../src/audit/store/create-store.js';
import { pino } from 'pino';

const logger = pino({ level: 'silent' });

describe('createAuditStore', () => {
  it('chooses PostgreSQL when AUDIT_DATABASE_URL is set, naming it without the password', () => {
    const store = createAuditStore({ dbPath: './data/audit.db', databaseUrl: 'postgres://im:s3cret@db.internal:5433/audit' }, logger);
    expect(store.kind).toBe('postgres');
    expect(store.location).toContain('db.internal');
    expect(store.location).not.toContain('s3cret');
  });

  it('chooses the SQLite file AUDIT_DB otherwise', () => {
    const store = createAuditStore({ dbPath: '/var/lib/im-admin/audit.db', logPath: '/var/lib/im-admin/audit.jsonl' }, logger);
    expect([store.kind, store.location]).toEqual(['sqlite', '/var/lib/im-admin/audit.db']);
  });
});
