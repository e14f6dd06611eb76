import type { AuditLogger } from '../../audit-logger.js';
import type { SqliteDatabase } from './database.js';
import { prepareImport, readImportState, runImport, trailToImport, type ImportState } from './import/trail-import.js';

/** How often progress is logged while an import runs in the background, in ms. */
const LOG_EVERY_MS = 5000;

/**
 * The upgrade from the file store without a step: at open, a JSON Lines trail at AUDIT_LOG that is not yet in the
 * database is imported in the background while the app takes requests. What this decides, before anything runs:
 * - an import left unfinished (a crash, a stop) resumes where it stopped;
 * - a trail is imported only into a database whose chain is empty (a first start, or an earlier import): one that
 *   already holds records of its own would have two chains;
 * - a finished import is never run again, so a second start imports nothing twice.
 */
export type ImportPlan =
  | { kind: 'none' }
  | { kind: 'resume'; state: ImportState }
  | { kind: 'start'; source: string; files: NonNullable<Awaited<ReturnType<typeof trailToImport>>> };

export async function planImport(db: SqliteDatabase, source: string | undefined, logger: AuditLogger): Promise<ImportPlan> {
  const state = readImportState(db);
  if (state && !state.finishedAt) return { kind: 'resume', state };
  if (state || !source) return { kind: 'none' };
  const files = await trailToImport(source);
  if (!files) return { kind: 'none' };
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_records').get()!.n;
  if (count > 0) {
    logger.warn(
      { source, records: count },
      'audit trail: the JSON Lines trail at AUDIT_LOG was not imported, because this database already holds records of its own; import it into an empty database with `npm run audit -- import`',
    );
    return { kind: 'none' };
  }
  return { kind: 'start', source, files };
}

/** Runs the plan's import, logging progress; resolves when it is done or stopped by `signal`. Never rejects. */
export async function importInBackground(
  db: SqliteDatabase,
  plan: Exclude<ImportPlan, { kind: 'none' }>,
  logger: AuditLogger,
  signal: AbortSignal,
  /** Called once the chain head is where the trail ends (appends may go on). */
  onChainReady: (state: ImportState) => void,
): Promise<ImportState | undefined> {
  const started = Date.now();
  try {
    const state = plan.kind === 'resume' ? plan.state : await prepareImport(db, plan.source, plan.files);
    onChainReady(state);
    logger.info?.(
      { source: state.source, records: state.sourceCount, resumedAt: state.imported },
      plan.kind === 'resume'
        ? 'audit trail: resuming the import of the JSON Lines trail'
        : 'audit trail: importing the JSON Lines trail in the background',
    );
    let lastLog = Date.now();
    const done = await runImport(
      db,
      state,
      {
        progress(progress) {
          if (Date.now() - lastLog < LOG_EVERY_MS) return;
          lastLog = Date.now();
          const percent = progress.totalBytes > 0 ? Math.floor((100 * progress.bytes) / progress.totalBytes) : 100;
          logger.info?.({ imported: progress.imported, of: progress.sourceCount, percent }, 'audit trail: import in progress');
        },
        tornLine(file, bytes) {
          logger.warn({ file, bytes }, 'audit trail: skipped a torn last line (a write cut short by a crash)');
        },
      },
      signal,
    );
    if (!done.finishedAt) return done;
    const details = { source: done.source, imported: done.imported, lines: done.lines, skipped: done.skipped, ms: Date.now() - started };
    if (done.imported !== done.sourceCount) {
      logger.error(
        { ...details, expected: done.sourceCount },
        'audit trail: the JSON Lines trail changed while it was imported; `npm run audit -- verify` shows where',
      );
    } else logger.info?.(details, 'audit trail: the JSON Lines trail is imported (the file is left as it was)');
    return done;
  } catch (error) {
    logger.error(
      { err: error, source: plan.kind === 'resume' ? plan.state.source : plan.source },
      'audit trail: the import stopped; it resumes at the next start',
    );
    return undefined;
  }
}
