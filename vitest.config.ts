import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests talk to real servers on 127.0.0.1; a slow CI core should not turn into flakes.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Browser tests start Chromium; keep them from competing with each other on 2 cores.
    fileParallelism: true,
    pool: 'forks',
  },
});
