import * as fsPromises from 'node:fs/promises';

/**
 * The file-system calls the file store makes, injectable so that tests can make a sync fail (a full disk) without a
 * full disk. Production passes node:fs/promises itself.
 */
export type StoreFs = Pick<
  typeof fsPromises,
  'open' | 'stat' | 'rename' | 'mkdir' | 'readdir' | 'unlink' | 'readFile' | 'writeFile' | 'truncate'
>;

export const nodeFs: StoreFs = fsPromises;

/** The system error code (ENOSPC, EACCES…) of a failed call, when it has one. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
