#!/usr/bin/env node
// `npm run build`: compiles src/ into dist/ (tsconfig.build.json) and copies what the compiled code reads at run time
// beside it, so `node dist/main.js` runs every mode with no TypeScript loader: the simulator page's web assets
// (read with `new URL('./web/…', import.meta.url)`). demo-data.json is imported with `with { type: 'json' }`, and tsc
// emits imported JSON itself.
//
// Flags: `--clean` deletes dist/ first (CI and the Dockerfile build from nothing anyway); `--if-stale` (what
// `npm start` and `npm run emulator` run first) skips the compiler when no file under src/ is newer than the last
// build, so starting again costs nothing, while an edited source is always rebuilt before it runs.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
/** Files the compiled code reads at run time, relative to src/ and dist/. */
const assets = ['simulator/web'];

if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });
if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
for (const asset of assets) {
  rmSync(`${dist}/${asset}`, { recursive: true, force: true });
  cpSync(`${root}src/${asset}`, `${dist}/${asset}`, { recursive: true });
}
// tsc leaves its build info untouched when nothing needed emitting: stamp it, or --if-stale would rebuild forever.
const now = new Date();
utimesSync(`${dist}/.tsbuildinfo`, now, now);

/** True when dist/ was never built, or some file under src/ (or a build setting) changed after the last build. */
function isStale() {
  let builtAt;
  try {
    builtAt = statSync(`${dist}/.tsbuildinfo`).mtimeMs;
  } catch {
    return true;
  }
  const inputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'].map((file) => `${root}${file}`);
  const sources = readdirSync(`${root}src`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath ?? entry.path}/${entry.name}`);
  return [...inputs, ...sources].some((file) => statSync(file).mtimeMs > builtAt);
}
