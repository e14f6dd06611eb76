import { resolve } from 'node:path';
import { AuditStoreError } from '../store/contract.js';
import type { AuditStoreSettings } from '../store/create-store.js';
import { openDatabase, type SqliteDatabase } from '../store/sqlite/database.js';
import { sqliteStoreError } from '../store/sqlite/errors.js';
import { ProcessHold } from '../store/sqlite/holder.js';
import { prepareImport, readImportState, runImport, trailToImport } from '../store/sqlite/import/trail-import.js';
import { migrate } from '../store/sqlite/migrations.js';
import { importProgress, type Output } from './progress.js';

/**
 * `npm run audit -- import <file>`: what the app does in the background at start, offline, with progress shown. It
 * takes the database as the app would (so not while the app runs), resumes an import a crash stopped, and refuses to
 * import twice or into a database that holds records of its own. The file is only read. Returns the exit code.
 */
export async function importCommand(file: string, settings: AuditStoreSettings, io: { out: Output; err: Output }): Promise<number> {
  if (settings.databaseUrl) {
    io.err.write(
      'import writes the SQLite store (AUDIT_DB); AUDIT_DATABASE_URL is set, so this program uses PostgreSQL. Unset it to import.\n',
    );
    return 2;
  }
  const files = await trailToImport(file);
  if (!files) {
    io.err.write(`Nothing to import: ${file} does not exist or is empty (nor are there segments ${file}.000001…).\n`);
    return 2;
  }
  const location = settings.dbPath;
  const hold = new ProcessHold(location, location);
  let db: SqliteDatabase | undefined;
  try {
    db = openDatabase(location, { busyTimeoutMs: 2000 });
    hold.acquire(db);
    migrate(db);
    hold.claim(db, { warn: () => undefined });
    let state = readImportState(db);
    if (state?.finishedAt) {
      io.out.write(
        `${state.source} was imported into ${location} already (${state.imported} records, ${state.finishedAt}): nothing to do.\n`,
      );
      return 0;
    }
    if (state && resolve(state.source) !== resolve(file)) {
      throw new AuditStoreError(location, `an import of ${state.source} is unfinished; run the import of that file to finish it first`);
    }
    if (!state) {
      const records = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_records').get()!.n;
      if (records > 0) throw new AuditStoreError(location, `it holds ${records} records of its own; import into a new AUDIT_DB`);
      state = await prepareImport(db, file, files);
    }
    const progress = importProgress(io.err);
    const done = await runImport(db, state, {
      progress: (update) => progress.update(update),
      tornLine: (path, bytes) => io.err.write(`\nskipped a torn last line in ${path} (${bytes} bytes, a write cut short by a crash)\n`),
    });
    progress.done();
    io.out.write(
      `Imported ${done.imported} records from ${file} into ${location} (${done.lines} lines read, ${done.skipped} skipped); the file was left as it was.\n`,
    );
    return done.imported === done.sourceCount ? 0 : 1;
  } catch (error) {
    io.err.write(`Cannot import: ${sqliteStoreError(location, error).message}\n`);
    return 2;
  } finally {
    hold.release(db);
    db?.close();
  }
}
