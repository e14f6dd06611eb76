import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../../src/audit/store/create-store.js';
import { pino } from 'pino';

const logger = pino({ level: 'silent' });

describe('createAuditStore', () => {
  it('chooses PostgreSQL when AUDIT_DATABASE_URL is set, naming it without the password', () => {
    const store = createAuditStore({ logPath: './data/audit.jsonl', databaseUrl: 'postgres://im:s3cret@db.internal:5433/audit' }, logger);
    expect(store.kind).toBe('postgres');
    expect(store.location).toContain('db.internal');
    expect(store.location).not.toContain('s3cret');
  });

  it('chooses the file AUDIT_LOG otherwise', () => {
    const store = createAuditStore({ logPath: '/var/lib/im-admin/audit.jsonl' }, logger);
    expect([store.kind, store.location]).toEqual(['file', '/var/lib/im-admin/audit.jsonl']);
  });
});
