import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit that crosses its
 * threshold, copying pages into the database file and syncing it: that commit (an intent, say) then takes tens of ms
 * instead of one. The store turns the automatic checkpoint off and this worker thread, with a connection of its own,
 * runs a passive checkpoint every `everyMs` instead: it never waits for a writer and never makes one wait (WAL lets
 * commits go on while pages are copied). The worker is unref'd; `stop` ends it.
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export function startCheckpointer(path: string, options: { everyMs?: number; onError?: (message: string) => void } = {}) {
  const worker = new Worker(source, {
    eval: true,
    workerData: { path, everyMs: options.everyMs ?? 1000, module: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  worker.unref();
  worker.on('message', (message: string) => options.onError?.(message));
  // A worker that could not start (its database gone already) has exited: stopping it then waits for nothing.
  worker.on('error', (error) => options.onError?.(error.message));
  let running = true;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  return {
    async stop(): Promise<void> {
      if (!running) return;
      // Held by the loop while it stops, or a process waiting for nothing else would end before it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
