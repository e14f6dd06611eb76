import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileAuditStore, type FileAuditStoreOptions } from '../../../../src/audit/store/file/file-store.js';
import { nodeFs, type StoreFs } from '../../../../src/audit/store/file/fs.js';
import { logFiles } from '../../../../src/audit/store/file/segments.js';
import { collectingLogger, tempDir } from '../../helpers.js';
import type { ConformanceSubject, StorageUnderTest } from '../conformance.js';

/** File-system calls whose flushes fail with ENOSPC once `full` is set: a disk that filled up while the app ran. */
export function fillableFs(): StoreFs & { full: boolean } {
  const fs = {
    ...nodeFs,
    full: false,
    open: (async (...args: Parameters<StoreFs['open']>) => {
      const handle = await nodeFs.open(...args);
      return new Proxy(handle, {
        get(target, property) {
          if (property === 'datasync' && fs.full) {
            return () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, fdatasync'), { code: 'ENOSPC' }));
          }
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    }) as StoreFs['open'],
  };
  return fs;
}

/** The file store's storage: a temp dir holding one AUDIT_LOG. */
export async function fileStorage(options: Partial<FileAuditStoreOptions> = {}) {
  const { dir, remove } = await tempDir();
  const path = join(dir, 'audit.jsonl');
  const logger = collectingLogger();
  const newStore = (extra: Partial<FileAuditStoreOptions> = {}) => new FileAuditStore({ path, logger, ...options, ...extra });
  const chainedLines = async () => {
    const lines: { path: string; index: number; text: string }[] = [];
    for (const file of await logFiles(nodeFs, path)) {
      const text = await readFile(file.path, 'utf8').catch(() => '');
      text.split('\n').forEach((line, index) => {
        if (/^\{"kind":"(intent|outcome|refusal)"/.test(line)) lines.push({ path: file.path, index, text: line });
      });
    }
    return lines;
  };
  return { dir, path, logger, newStore, chainedLines, remove };
}

export const fileSubject: ConformanceSubject = {
  name: 'file',
  sharedByProcesses: false,
  async setUp(): Promise<StorageUnderTest> {
    const storage = await fileStorage();
    return {
      newStore: () => storage.newStore(),
      async brokenStore() {
        const fs = fillableFs();
        const store = storage.newStore({ fs });
        await store.open();
        fs.full = true;
        return store;
      },
      async tamper(id) {
        const line = (await storage.chainedLines()).find(({ text }) => (JSON.parse(text) as { id: string }).id === id);
        if (!line) throw new Error(`no chained record ${id} to tamper with`);
        const lines = (await readFile(line.path, 'utf8')).split('\n');
        lines[line.index] = line.text.replace(/"command":"[^"]*"/, '"command":"tampered"');
        await writeFile(line.path, lines.join('\n'));
      },
      chainTexts: async () => (await storage.chainedLines()).map(({ text }) => text),
      tearDown: storage.remove,
    };
  },
};
