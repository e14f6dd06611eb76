// Opens the file store at argv[2] in its own process, as a second app would; prints "opened" or the error message.
import { FileAuditStore } from '../../../../src/audit/store/file/file-store.js';

const store = new FileAuditStore({ path: process.argv[2]!, logger: { warn: () => undefined, error: () => undefined } });
try {
  await store.open();
  console.log('opened');
  await store.close();
} catch (error) {
  console.log((error as Error).message);
  process.exitCode = 3;
}
