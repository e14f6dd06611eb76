import { writeFileSync } from 'node:fs';

/**
 * Preloaded into the compiled app only by `BENCH_HEAP=1 npx tsx bench/operability.ts` (with --expose-gc): on SIGUSR2,
 * a full garbage collection, then the bytes still in use written to BENCH_HEAP_FILE. Tells a leak (live heap growing
 * round after round) from V8 headroom (resident set high, live heap flat). Plain JavaScript: the app under measure
 * runs with no TypeScript loader.
 */
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  writeFileSync(process.env.BENCH_HEAP_FILE ?? '', String(process.memoryUsage().heapUsed));
});
