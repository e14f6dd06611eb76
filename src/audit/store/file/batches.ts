import { z } from 'zod';
import { type BatchRecord, batchRecordSchema } from '../../batch-record.js';
import { AuditStoreError } from '../contract.js';
import { systemCode, type StoreFs } from './fs.js';

/**
 * The file store's batch records: one JSON file beside the log (`<AUDIT_LOG>.batches`), rewritten whole on each save
 * (a temporary file flushed, then renamed over it), so a crash leaves the previous version or the new one. A batch
 * is saved at most every two seconds while it runs, and the file holds only the most recent batches.
 */

/** Batches kept in the file; the oldest that are no longer running go first. */
const KEEP = 200;
const fileSchema = z.object({ version: z.literal(1), batches: z.array(batchRecordSchema) });

export class BatchFile {
  private readonly batches = new Map<string, BatchRecord>();

  constructor(
    private readonly fs: StoreFs,
    private readonly logPath: string,
  ) {}

  get path(): string {
    return `${this.logPath}.batches`;
  }

  /** Reads the file; none yet is an empty list. A file that does not parse is an error (it is never guessed at). */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (error) {
      if (systemCode(error) === 'ENOENT') return;
      throw new AuditStoreError(this.logPath, `cannot read ${this.path}: ${systemCode(error) ?? 'failed'}`, { cause: error });
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new AuditStoreError(this.logPath, `${this.path} is not a batch file this version can read`);
    for (const batch of parsed.data.batches) this.batches.set(batch.id, batch);
  }

  get(id: string): BatchRecord | undefined {
    return this.batches.get(id);
  }

  running(): BatchRecord[] {
    return [...this.batches.values()].filter((batch) => batch.state === 'running');
  }

  /** Saves `batches` (replacing those with the same ids) durably; on failure the file and the memory keep the old ones. */
  async save(batches: readonly BatchRecord[]): Promise<void> {
    const next = new Map(this.batches);
    for (const batch of batches) {
      next.delete(batch.id);
      next.set(batch.id, batchRecordSchema.parse(batch));
    }
    for (const [id, batch] of next) {
      if (next.size <= KEEP) break;
      if (batch.state !== 'running') next.delete(id);
    }
    const tmp = `${this.path}.tmp`;
    try {
      const handle = await this.fs.open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ version: 1, batches: [...next.values()] }));
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await this.fs.rename(tmp, this.path);
    } catch (error) {
      throw new AuditStoreError(this.logPath, systemCode(error) ?? 'batch write failed', { cause: error });
    }
    this.batches.clear();
    for (const [id, batch] of next) this.batches.set(id, batch);
  }
}
