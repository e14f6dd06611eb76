import pg from 'pg';
import { describeNeeding } from '../../../support/prerequisites.js';
import { startTcpProxy } from '../../../support/tcp-proxy.js';
import { approvalStoreConformance } from '../approvals-conformance.js';
import { auditStoreConformance, type ConformanceSubject } from '../conformance.js';
import { postgresMissing, postgresStore, usePostgresServer } from './fixtures.js';

const title = 'PostgreSQL audit store';
describeNeeding('postgresql', postgresMissing)(title, () => {
  const { server } = usePostgresServer();

  const subject: ConformanceSubject = {
    name: 'postgres',
    sharedByProcesses: true,
    async setUp() {
      const url = await server().createDatabase();
      return {
        newStore: () => postgresStore(url),
        async brokenStore() {
          // The store reaches the database through a relay that is then cut: to it, the database is gone.
          const proxy = await startTcpProxy(server().port);
          const store = postgresStore(url.replace(`:${server().port}/`, `:${proxy.port}/`), { connectTimeoutMs: 1000 });
          await store.open();
          await proxy.cut();
          return store;
        },
        async tamper(id) {
          await sql(url, 'ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
          await sql(url, `UPDATE audit_records SET body = replace(body, '"command":"', '"command":"forged ') WHERE id = $1`, [id]);
          await sql(url, 'ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only');
        },
        async chainTexts() {
          return (await sql<{ body: string }>(url, 'SELECT body FROM audit_records ORDER BY seq')).map((row) => row.body);
        },
        async moveLift(sanctionId, liftAt) {
          await sql(url, 'UPDATE audit_lifts SET lift_at = $2 WHERE sanction_id = $1', [sanctionId, liftAt]);
        },
        async failLiftWrites() {
          await sql(
            url,
            `CREATE FUNCTION test_refuse_lift() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'lift refused'; END $$;
             CREATE TRIGGER test_refuse_lift BEFORE INSERT ON audit_lifts FOR EACH ROW EXECUTE FUNCTION test_refuse_lift();`,
          );
        },
        async tearDown() {},
      };
    },
  };
  auditStoreConformance(subject);
  approvalStoreConformance(subject);
});

async function sql<Row extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, params)).rows;
  } finally {
    await client.end();
  }
}
