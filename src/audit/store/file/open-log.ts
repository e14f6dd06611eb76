import { performance } from 'node:perf_hooks';
import type { AuditLogger } from '../../audit-logger.js';
import { chainHash } from '../chain.js';
import { ActiveFile } from './active-file.js';
import { LIVE_ORDER_START, newestChainedRecord } from './background-load.js';
import { readCheckpoint } from './checkpoint.js';
import type { StoreFs } from './fs.js';
import { scanLog, scanStart } from './load.js';
import { logFiles } from './segments.js';
import { StoreState } from './state.js';

export type OpenedLog = {
  active: ActiveFile;
  state: StoreState;
  /** The state is the checkpoint's or was rebuilt: write a checkpoint now. */
  checkpointNow: boolean;
  /** A large log without checkpoint: what its older records leave live, once read in the background. */
  background?: Promise<StoreState>;
};

/**
 * Opens the active file (cutting a torn last line) and rebuilds the live state: from the checkpoint and what came
 * after it; or, without one, from the whole log — at once when it is small, else in the background (background-load.ts)
 * with the state starting empty, chained to the newest record. The caller holds the lock.
 */
export async function openLog(options: {
  fs: StoreFs;
  path: string;
  logger: AuditLogger;
  backgroundReadBytes: number;
}): Promise<OpenedLog> {
  const { fs, path, logger } = options;
  const started = performance.now();
  const files = await logFiles(fs, path);
  const active = new ActiveFile(path, files.at(-1)!.seq, fs, logger);
  await active.open();
  const checkpoint = await readCheckpoint(fs, path);
  const start = await scanStart(fs, path, files, checkpoint);
  const sized = await Promise.all(
    files.map(async (file) => ({ ...file, size: (await fs.stat(file.path).catch(() => ({ size: 0 }))).size })),
  );
  const total = sized.reduce((sum, file) => sum + file.size, 0);
  const elapsed = () => Math.round(performance.now() - started);

  if (!start && total > options.backgroundReadBytes) {
    const newest = await newestChainedRecord(fs, sized);
    const state = new StoreState();
    state.nextOrder = LIVE_ORDER_START;
    if (newest) state.head = { count: 0, hash: chainHash(newest.text), id: newest.id };
    logger.info?.({ path, bytes: total, ms: elapsed() }, 'audit log opened; reading the rest of it in the background');
    const sizes = new Map(sized.map((file) => [file.path, file.size]));
    const background = scanLog(fs, files, { seq: files[0]!.seq, offset: 0 }, new StoreState(), logger, sizes).then(
      ({ state: loaded, bytes }) => {
        logger.info?.({ path, readBytes: bytes, ms: elapsed() }, 'audit log read in full');
        return loaded;
      },
    );
    return { active, state, checkpointNow: false, background };
  }

  const base = start && checkpoint ? checkpoint.state : new StoreState();
  const scanned = await scanLog(fs, files, start ?? { seq: files[0]!.seq, offset: 0 }, base, logger);
  logger.info?.(
    {
      path,
      readBytes: scanned.bytes,
      fromCheckpoint: start !== undefined,
      unsettled: scanned.state.unsettled.size,
      unposted: scanned.state.unposted.size,
      ms: elapsed(),
    },
    'audit log opened',
  );
  return { active, state: scanned.state, checkpointNow: scanned.bytes > 0 || !start };
}
