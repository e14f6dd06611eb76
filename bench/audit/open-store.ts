// Opens the file store at argv[2] in a fresh process and prints how long it took (until it takes intents, and until
// the whole log was read) and the process's peak memory.
import { performance } from 'node:perf_hooks';
import { FileAuditStore } from '../../src/audit/store/file/file-store.js';

const store = new FileAuditStore({ path: process.argv[2]!, logger: { warn: () => undefined, error: () => undefined } });
const started = performance.now();
await store.open();
const ms = performance.now() - started;
await store.loaded();
const loadedMs = performance.now() - started;
const unposted = await store.unpostedCount();
await store.close();
console.log(JSON.stringify({ ms, loadedMs, maxRssMb: process.resourceUsage().maxRSS / 1024, unposted }));
