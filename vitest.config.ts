import { defineConfig } from 'vitest/config';

/**
 * Files that measure rates or bound latencies against real processes (three replicas sharing a Redis budget, the
 * ack within Slack's 3 s, a real browser, app replicas on one audit database waiting out leases). They run after the rest, one at a time, so that they measure the code
 * and not the other test files competing for the machine's two cores.
 */
const loadSensitive = [
  // The rate budget conformance suite runs on the real clock (spacing within 100 ms windows), for both budgets.
  'test/nim/budget/local.test.ts',
  'test/nim/budget/redis/replicas.test.ts',
  'test/nim/budget/redis/redis-budget.test.ts',
  'test/slack/app/timing.test.ts',
  'test/e2e/**/*.test.ts',
  'test/audit/store/postgres/replicas.test.ts',
];

export default defineConfig({
  test: {
    // Tests talk to real servers on 127.0.0.1; a slow CI core should not turn into flakes.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The default output, then one line on what was skipped and why (test/support/skip-report.ts).
    reporters: ['default', './test/support/skip-report.ts'],
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: loadSensitive } },
      {
        extends: true,
        test: { name: 'one-at-a-time', include: loadSensitive, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
