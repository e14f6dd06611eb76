import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import type { SkippedFor } from './prerequisites.js';

/**
 * Ends every run with one line saying what was skipped and why, so that a skip is never only a word in a test title:
 * `Skipped: none`, or e.g. `Skipped: 11 tests — redis-server: no redis-server on the PATH (…) →
 * test/nim/budget/redis/redis-budget.test.ts (11); …`. Suites skipped for a prerequisite carry their reason
 * (test/support/prerequisites.ts); a skip by design gives its reason in the `skipReason` meta (the file store's
 * two-process conformance tests); any other skip is listed with its `ctx.skip` note, or as "skipped in code".
 * Tests left out by a name filter (-t) or `.only` are not counted: they were not asked for. (A run narrowed by file
 * line numbers is not told apart: its left-out tests are listed as skipped in code.)
 */
export default class SkipReport implements Reporter {
  #namePattern: RegExp | undefined;

  onInit(vitest: Vitest): void {
    const pattern = vitest.config.testNamePattern;
    this.#namePattern = pattern === undefined ? undefined : new RegExp(pattern);
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    process.stdout.write(`\n${skipLine(testModules, this.#namePattern)}\n`);
  }
}

/** `namePattern`: the run's -t filter; a test whose name it does not match was not asked for, so is not listed. */
export function skipLine(testModules: ReadonlyArray<TestModule>, namePattern?: RegExp): string {
  const byReason = new Map<string, Map<string, number>>();
  let total = 0;
  for (const module of testModules) {
    for (const test of module.children.allTests('skipped')) {
      if (namePattern && !namePattern.test(fullName(test))) continue;
      const reason = skipReason(test);
      if (reason === undefined) continue;
      const files = byReason.get(reason) ?? new Map<string, number>();
      files.set(module.relativeModuleId, (files.get(module.relativeModuleId) ?? 0) + 1);
      byReason.set(reason, files);
      total += 1;
    }
  }
  if (total === 0) return 'Skipped: none';
  const groups = [...byReason].map(([reason, files]) => {
    const where = [...files].map(([file, count]) => `${file} (${count})`).join(', ');
    return `${reason} → ${where}`;
  });
  return `Skipped: ${total} test${total === 1 ? '' : 's'} — ${groups.join('; ')}`;
}

/** The name vitest matches -t against: the suites' names and the test's, joined by spaces. */
function fullName(test: TestCase): string {
  const names = [test.name];
  for (let parent = test.parent; parent.type !== 'module'; parent = parent.parent) names.unshift(parent.name);
  return names.join(' ');
}

/** Why `test` was skipped, or undefined when it was only left out of this run by `.only`. */
function skipReason(test: TestCase): string | undefined {
  for (let task: TestCase | TestCase['parent'] = test; task.type !== 'module'; task = task.parent) {
    const skippedFor: SkippedFor | undefined = task.meta().skippedFor;
    if (skippedFor) return `${skippedFor.prerequisite}: ${skippedFor.reason}`;
    const { skipReason } = task.meta();
    if (skipReason) return skipReason;
  }
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  const mode = test.options.mode;
  if (mode === 'todo') return 'todo';
  // 'skip' is a skip written in the test (it.skip, skipIf); 'run' or 'only' here means a filter or .only left it out.
  return mode === 'skip' ? 'skipped in code' : undefined;
}
