import { benchAuditPostgres } from './audit-postgres.js';
import { benchAuditSqlite } from './audit-sqlite.js';
import { benchBulk } from './bulk.js';
import { benchModeration } from './moderation.js';
import { benchNim } from './nim.js';
import { benchOperability } from './operability.js';
import { benchRedis } from './redis.js';
import { benchRollback } from './rollback.js';
import { benchSlack } from './slack.js';
import { type BenchRow, formatTable } from './table.js';

/**
 * `npm run bench`: every figure the issues ask for, measured in one run on this machine, as one table.
 * Parts run one after another so they do not compete for the CPU. Exit code 1 when any row misses its target.
 */
const parts: [string, () => Promise<BenchRow[]>][] = [
  ['NetEase client', benchNim],
  ['Slack side', benchSlack],
  ['moderation', benchModeration],
  ['spam waves (bulk)', benchBulk],
  ['rollback', benchRollback],
  ['operability', benchOperability],
  ['audit store (SQLite)', benchAuditSqlite],
  ['replicas (Redis)', benchRedis],
  ['audit store (PostgreSQL)', benchAuditPostgres],
];

const rows: BenchRow[] = [];
for (const [title, run] of parts) {
  process.stderr.write(`running ${title}…\n`);
  rows.push({ name: `— ${title} —`, value: '', target: '', pass: true }, ...(await run()));
}
console.log(formatTable(rows));
process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
