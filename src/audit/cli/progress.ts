import type { ImportProgress } from '../store/sqlite/import/trail-import.js';

export type Output = { write(text: string): unknown; isTTY?: boolean };

/**
 * Import progress for people: on a terminal one bar redrawn in place; otherwise (a pipe, CI, a log file) a line per
 * tenth of the way, so a log stays short and still shows it moving.
 */
export function importProgress(out: Output, now: () => number = Date.now): { update(progress: ImportProgress): void; done(): void } {
  const started = now();
  let lastTenth = -1;
  let drawn = false;
  return {
    update(progress) {
      const fraction = progress.totalBytes > 0 ? progress.bytes / progress.totalBytes : 1;
      const seconds = Math.max(0.001, (now() - started) / 1000);
      const rate = Math.round(progress.imported / seconds);
      const counts = `${progress.imported} of ${progress.sourceCount} records, ${rate}/s`;
      if (out.isTTY) {
        const width = 30;
        const filled = Math.round(fraction * width);
        out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${counts}   `);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      out.write(`import: ${tenth * 10}% (${counts})\n`);
    },
    done() {
      if (drawn) out.write('\n');
    },
  };
}
