import { describe, it } from 'vitest';

/**
 * Suites that need a program from outside npm (a browser, a Redis or PostgreSQL server) go through `describeNeeding`:
 * where the program is missing they are skipped, with the reason recorded for the line test/support/skip-report.ts
 * prints at the end of the run. Where the run requires the program (`IM_ADMIN_TESTS_REQUIRE`, set by .ci/run, which
 * installs them), a missing one fails the suite instead: CI cannot pass by skipping what it installed.
 */

export const prerequisites = ['chromium', 'redis-server', 'postgresql'] as const;
export type Prerequisite = (typeof prerequisites)[number];

/** What a skipped suite carries to the reporter. */
export type SkippedFor = { prerequisite: Prerequisite; reason: string };

declare module 'vitest' {
  interface TaskMeta {
    skippedFor?: SkippedFor;
    /** Why a test skipped by design is skipped (e.g. a capability its subject lacks), for the end-of-run line. */
    skipReason?: string;
  }
}

/** Comma-separated prerequisites that must be present, or `all`. @default none (a missing one skips its suites) */
export const REQUIRE_VARIABLE = 'IM_ADMIN_TESTS_REQUIRE';

/** Whether this run requires `prerequisite`; an unknown name in the variable is an error, not silently ignored. */
export function isRequired(prerequisite: Prerequisite, setting = process.env[REQUIRE_VARIABLE] ?? ''): boolean {
  const names = setting
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => name !== 'all' && !(prerequisites as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `${REQUIRE_VARIABLE}: unknown ${unknown.join(', ')}; use a comma-separated list of ${prerequisites.join(', ')}, or all`,
    );
  }
  return names.includes('all') || names.includes(prerequisite);
}

/**
 * `describe` for a suite that needs `prerequisite`. `missing` says why it is unavailable (undefined when it is there):
 * the suite then skips with that reason recorded, or, when the run requires it, fails with it.
 */
export function describeNeeding(prerequisite: Prerequisite, missing: string | undefined) {
  return (title: string, body: () => void): void => {
    if (missing === undefined) {
      describe(title, body);
    } else if (isRequired(prerequisite)) {
      describe(title, () => {
        it(`needs ${prerequisite}, which this run requires (${REQUIRE_VARIABLE})`, () => {
          throw new Error(`${prerequisite} is required by ${REQUIRE_VARIABLE} but missing: ${missing}`);
        });
      });
    } else {
      describe.skip(`${title} (skipped: ${missing})`, { meta: { skippedFor: { prerequisite, reason: missing } } }, body);
    }
  };
}
