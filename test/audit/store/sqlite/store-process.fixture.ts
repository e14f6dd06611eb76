// The SQLite store in a process of its own, as a second app would open it. argv: <db> <action> [trail].
// open: prints "opened" or the error message (exit 3). append-and-wait: stores an intent, prints "stored", then waits
// to be killed (kill -9 after an answered change). import-and-wait: opens with the trail to import and waits.
import { SqliteAuditStore } from '../../../../src/audit/store/sqlite/store.js';
import { intentAt } from '../records.js';

const [path, action, trail] = process.argv.slice(2);
const store = new SqliteAuditStore({
  path: path!,
  logger: { warn: () => undefined, error: () => undefined },
  ...(trail ? { importFrom: trail } : {}),
});
try {
  await store.open();
  if (action === 'append-and-wait') {
    await store.appendIntent(intentAt('answered', 0), { owner: 'child', leaseUntil: 0 });
    console.log('stored');
    setInterval(() => undefined, 1000);
  } else if (action === 'import-and-wait') {
    console.log('importing');
    setInterval(() => undefined, 1000);
  } else {
    console.log('opened');
    await store.close();
  }
} catch (error) {
  console.log((error as Error).message);
  process.exitCode = 3;
}
