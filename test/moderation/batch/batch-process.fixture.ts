// A batch in a process of its own, to be killed mid-way. argv: <db> <emulator url> <count>. Prints "started" once the
// batch is stored and running, then mutes spam0…spam<count-1> at 200 calls a second until killed.
import { AuditOutbox } from '../../../src/audit/outbox.js';
import { SqliteAuditStore } from '../../../src/audit/store/sqlite/store.js';
import { BatchService } from '../../../src/moderation/batch/batch-service.js';
import { parseDuration } from '../../../src/moderation/duration.js';
import { NimClient } from '../../../src/nim/client.js';

const [path, url, count] = process.argv.slice(2);
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const store = new SqliteAuditStore({ path: path!, logger });
await store.open();
const nim = new NimClient({ appKey: 'batch-key', appSecret: 'batch-secret', baseUrl: url!, rateLimit: 200 });
const outbox = new AuditOutbox({ store, owner: 'child', verify: async () => 'unknown', now: Date.now, logger });
const trail = { store, outbox, owner: 'child', now: Date.now, logger, leaseMs: 1500 };
const service = new BatchService({
  trail,
  nim,
  channel: { post: async () => undefined, update: async () => undefined, reply: async () => undefined },
});
const accids = Array.from({ length: Number(count) }, (_, i) => `spam${i}`);
await service.start({
  id: 'wave',
  sanction: { kind: 'mute', accids, reason: 'spam wave', scope: 'everywhere', duration: parseDuration('24h') },
  actor: 'U0MOD',
  command: '/im-mute',
  origin: { user: 'U0MOD', channel: 'C0MOD' },
});
console.log('started');
