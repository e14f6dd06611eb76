import { pino } from 'pino';
import { describeVerification, verifyTrail } from './audit/verify-trail.js';
import { ConfigError, loadConfig } from './config.js';

/**
 * `npm run audit -- verify`: walks the audit trail's hash chain in the store the settings name (AUDIT_DATABASE_URL,
 * else AUDIT_LOG), as the app reads them. Exits 0 when it is intact, 1 naming the first record that does not match,
 * 2 when the settings or the store cannot be used.
 */
const usage = `Usage: npm run audit -- verify

  verify   Walk the audit trail's hash chain (AUDIT_DATABASE_URL, else AUDIT_LOG) and print its head.
           Exit 0: intact. Exit 1: names the first record that does not match. Exit 2: cannot read it.
           Compare the head with the one the app posts to the audit channel daily.`;

const [command, ...rest] = process.argv.slice(2);
if (command !== 'verify' || rest.length > 0) {
  console.error(usage);
  process.exitCode = command === undefined || command === 'help' || command === '--help' ? 0 : 2;
} else {
  try {
    const config = loadConfig(process.env);
    const logger = pino({ level: 'warn' }, pino.destination(2));
    const result = await verifyTrail(config.audit, logger);
    console.log(describeVerification(result));
    process.exitCode = result.verification.ok ? 0 : 1;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Cannot verify the audit trail: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
