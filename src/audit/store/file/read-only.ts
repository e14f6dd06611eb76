import type { ChainVerification } from '../contract.js';
import { nodeFs, type StoreFs } from './fs.js';
import { logFiles } from './segments.js';
import { verifyFiles } from './verify-files.js';

/**
 * Verifies the chain of the log at `path` without opening the store, so without its lock: `npm run audit -- verify`
 * works while the app runs. Reads up to each file's size when it starts; records appended meanwhile are left for the
 * next run.
 */
export async function verifyLogAt(path: string, fs: StoreFs = nodeFs): Promise<ChainVerification> {
  const files = await logFiles(fs, path);
  const sized = await Promise.all(
    files.map(async (file) => ({ ...file, size: (await fs.stat(file.path).catch(() => ({ size: 0 }))).size })),
  );
  return verifyFiles(fs, sized);
}
