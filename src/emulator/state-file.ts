import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseSeed } from './seed.js';
import type { EmulatorSeed, StateFileStatus } from './types.js';

export type { StateFileStatus } from './types.js';

export type StateFile = StateFileStatus & {
  /** The state saved last time, validated; undefined when there is none (start from the seed) or the file is not kept. */
  saved: EmulatorSeed | undefined;
  /** Starts saving `snapshot()` after changes; call `changed()` after each request that may have changed something. */
  watch(snapshot: () => EmulatorSeed): void;
  changed(): void;
  /** Writes what is pending and lets go of the file. */
  close(): void;
};

export function openStateFile(path: string, delayMs: number): StateFile {
  mkdirSync(dirname(path), { recursive: true });
  const lockPath = `${path}.lock`;
  const heldBy = takeLock(lockPath);
  if (heldBy !== undefined) {
    return { path, kept: false, heldBy, saved: undefined, watch: () => {}, changed: () => {}, close: () => {} };
  }
  let saved: EmulatorSeed | undefined;
  try {
    saved = existsSync(path) ? parseSeed(JSON.parse(readFileSync(path, 'utf8')), path) : undefined;
  } catch (error) {
    rmSync(lockPath, { force: true });
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`The emulator's saved state cannot be read (delete ${path} to start again from the demo data): ${why}`, {
      cause: error,
    });
  }
  let snapshot: (() => EmulatorSeed) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let written = saved === undefined ? '' : JSON.stringify(saved);
  const write = () => {
    timer = undefined;
    if (!snapshot || !dirty) return;
    dirty = false;
    const text = JSON.stringify(snapshot());
    if (text === written) return;
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${text}\n`);
    renameSync(temporary, path);
    written = text;
  };
  return {
    path,
    kept: true,
    saved,
    watch: (next) => {
      snapshot = next;
    },
    changed: () => {
      dirty = true;
      timer ??= setTimeout(write, delayMs).unref();
    },
    close: () => {
      clearTimeout(timer);
      write();
      rmSync(lockPath, { force: true });
    },
  };
}

/** Takes the lock file; returns the pid holding it when another emulator does. A lock left by a dead process is taken. */
function takeLock(lockPath: string): number | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number(readIfThere(lockPath).trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
    rmSync(lockPath, { force: true });
  }
  throw new Error(`${lockPath}: another process keeps taking it`);
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
