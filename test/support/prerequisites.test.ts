import { describe, expect, it } from 'vitest';
import { isRequired } from './prerequisites.js';

describe('IM_ADMIN_TESTS_REQUIRE', () => {
  it('requires the prerequisites listed, all of them with "all", none when unset', () => {
    expect(isRequired('redis-server', 'chromium, redis-server')).toBe(true);
    expect(isRequired('postgresql', 'chromium,redis-server')).toBe(false);
    expect(isRequired('postgresql', 'all')).toBe(true);
    expect(isRequired('chromium', '')).toBe(false);
  });

  it('refuses a name it does not know, rather than silently requiring nothing', () => {
    expect(() => isRequired('chromium', 'chrome')).toThrow(
      /IM_ADMIN_TESTS_REQUIRE: unknown chrome; use a comma-separated list of chromium, redis-server, postgresql, or all/,
    );
  });
});
