import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { importCommand } from './audit/cli/import-command.js';
import { openTrailForReading } from './audit/cli/open-trail.js';
import { backupCommand, exportCommand, headCommand, verifyCommand, type Io } from './audit/cli/read-commands.js';
import { AuditStoreError } from './audit/store/contract.js';
import { ConfigError, loadConfig } from './config.js';

/**
 * `npm run audit -- <command>`: the audit trail of the store the settings name (AUDIT_DATABASE_URL, else AUDIT_DB),
 * read as the app reads it, while the app runs. Exit 0: done (intact). 1: the chain does not match. 2: the settings,
 * the arguments or the store cannot be used (which file or database, what is wrong).
 */
const usage = `Usage: npm run audit -- <command>

  head                       Print the chain head: <count> <sha256> (what the app posts to the audit channel).
  verify [--head <c>:<sha>]  Walk the hash chain. Exit 0 intact, 1 naming the first record that does not match;
                             with --head (a head posted earlier), 1 also when the trail no longer reaches it.
  export [--since <time>]    The records as JSON Lines on stdout (their stored text: an export verifies).
  backup <path>              A consistent copy of AUDIT_DB while the app runs, verified (PostgreSQL: use pg_dump).
  import <file>              Import a JSON Lines trail of the file store (AUDIT_LOG) into AUDIT_DB, with the app
                             stopped (the app also does this by itself, in the background, at start).

The store: AUDIT_DATABASE_URL (PostgreSQL) when set, else AUDIT_DB (SQLite, default ./data/audit.db).`;

const io: Io = { out: process.stdout, err: process.stderr };
// `export | head`: the reader went away; that ends the export, it is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { head: { type: 'string' }, since: { type: 'string' } } });
  } catch (error) {
    io.err.write(`${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const [command, argument, ...extra] = parsed.positionals;
  const known = ['head', 'verify', 'export', 'backup', 'import'];
  if (!command || !known.includes(command) || extra.length > 0) {
    io.err.write(`${usage}\n`);
    return command === undefined || command === 'help' ? 0 : 2;
  }
  const config = loadConfig(process.env);
  if (command === 'import') {
    if (!argument) {
      io.err.write('import needs the trail to import: npm run audit -- import ./data/audit.jsonl\n');
      return 2;
    }
    return importCommand(argument, config.audit, io);
  }
  if (command === 'backup' && config.audit.databaseUrl) {
    io.err.write(
      'The trail is in PostgreSQL (AUDIT_DATABASE_URL): back it up with pg_dump, e.g. `pg_dump --format=custom --file=audit.dump <database>`, and restore it with pg_restore.\n',
    );
    return 2;
  }
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const trail = await openTrailForReading(config.audit, logger);
  try {
    if (command === 'head') return await headCommand(trail, io);
    if (command === 'verify') return await verifyCommand(trail, io, parsed.values.head);
    if (command === 'export') return await exportCommand(trail, io, parsed.values.since);
    return await backupCommand(trail, io, argument);
  } finally {
    await trail.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message =
    error instanceof ConfigError || error instanceof AuditStoreError ? error.message : `Cannot read the audit trail: ${String(error)}`;
  io.err.write(`${message}\n`);
  process.exitCode = 2;
}
