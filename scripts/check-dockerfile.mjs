#!/usr/bin/env node
// CI cannot run Docker, so this replays the Dockerfile in a clean directory and boots what it built:
//
//   node scripts/check-dockerfile.mjs        (run as root, as `docker build` does: the image chowns its volume)
//
// 1. Reads the Dockerfile and checks what production relies on: several stages, `npm ci --omit=dev` in the last or
//    in the stage whose node_modules it copies (with no build tools in the last), a non-root USER, a HEALTHCHECK, the
//    audit directory (AUDIT_DB) as a VOLUME, and an exec-form CMD starting with node (so SIGTERM reaches it: no
//    shell, no npm as PID 1).
// 2. Replays each stage in its own directory (the stage's WORKDIR maps to it): COPY from the repository or from an
//    earlier stage, RUN with the stage's ENV. A RUN that installs system packages (apt-get) is the image's own: here
//    the commands it installs must already be on this machine (.ci/run installs them), and it is not run.
// 3. Starts the last stage's CMD with its ENV, as its USER, as `docker run` would with no settings (local mode),
//    waits for its HEALTHCHECK to pass and /readyz to answer 200, then stops it with its STOPSIGNAL and expects exit 0.
// 4. Runs scripts/check-compiled.mjs on the result: every mode, with only the production dependencies installed.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const known = new Set(['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'VOLUME', 'EXPOSE', 'HEALTHCHECK', 'STOPSIGNAL', 'CMD']);

const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const final = stages.at(-1);
checkPolicy(stages);
const work = mkdtempSync(join(tmpdir(), 'im-admin-dockerfile-'));
chmodSync(work, 0o755);
let exitCode = 0;
try {
  for (const [index, stage] of stages.entries()) replay(stage, join(work, `stage-${index}`), stages);
  await bootFinalStage();
  const compiled = spawnSync(process.execPath, [join(root, 'scripts/check-compiled.mjs'), final.dir], { stdio: 'inherit' });
  if (compiled.status !== 0) throw new Error('scripts/check-compiled.mjs failed on the image');
  process.stdout.write('Dockerfile: every step replayed, the image boots, passes its HEALTHCHECK and stops cleanly\n');
} catch (error) {
  process.stderr.write(`Dockerfile check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);

/** Stages of instructions, with line continuations joined and comments dropped. */
function parseDockerfile(text) {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const parsed = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [, keyword, rest] = /^(\S+)\s+(.*)$/.exec(trimmed) ?? [];
    if (!keyword || !known.has(keyword.toUpperCase())) throw new Error(`unsupported Dockerfile line: ${trimmed}`);
    const instruction = keyword.toUpperCase();
    if (instruction === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      parsed.push({
        image,
        name,
        steps: [],
        env: {},
        workdir: '/',
        user: undefined,
        volumes: [],
        healthcheck: undefined,
        cmd: undefined,
        stopSignal: 'SIGTERM',
      });
      continue;
    }
    const stage = parsed.at(-1);
    if (!stage) throw new Error(`${instruction} before FROM`);
    stage.steps.push({ instruction, rest });
    if (instruction === 'USER') stage.user = rest.trim();
    if (instruction === 'VOLUME') stage.volumes.push(...rest.trim().split(/\s+/));
    if (instruction === 'STOPSIGNAL') stage.stopSignal = rest.trim();
    if (instruction === 'CMD') stage.cmd = execForm(rest, 'CMD');
    if (instruction === 'HEALTHCHECK') stage.healthcheck = execForm(rest.replace(/^(--\S+\s+)*CMD\s+/, ''), 'HEALTHCHECK CMD');
  }
  return parsed;
}

function execForm(text, what) {
  try {
    const form = JSON.parse(text);
    if (Array.isArray(form) && form.every((part) => typeof part === 'string')) return form;
  } catch {
    // Not JSON: the shell form, refused below.
  }
  throw new Error(`${what} must be in exec form (a JSON array), got: ${text}`);
}

function checkPolicy(all) {
  const problems = [];
  if (all.length < 2) problems.push('a multi-stage build (a build stage and a run stage)');
  const runs = final.steps.filter((step) => step.instruction === 'RUN').map((step) => step.rest);
  const prodOnly = (stage) => stage.steps.some((step) => step.instruction === 'RUN' && /\bnpm ci\b[^&]*--omit=dev/.test(step.rest));
  const modulesFrom = final.steps
    .filter((step) => step.instruction === 'COPY' && /--from=\S+/.test(step.rest) && /\bnode_modules\b/.test(step.rest))
    .map((step) => /--from=(\S+)/.exec(step.rest)[1]);
  const depsStage = all.find((stage, index) => modulesFrom.includes(stage.name) || modulesFrom.includes(String(index)));
  if (!prodOnly(final) && !(depsStage && prodOnly(depsStage))) {
    problems.push('`npm ci --omit=dev` in the last stage, or in the stage whose node_modules it copies');
  }
  if (runs.some((run) => /\bapt-get install\b/.test(run))) problems.push('no build tools installed in the last stage');
  if (!final.user || /^(0|root)(:|$)/.test(final.user)) problems.push('a non-root USER in the last stage');
  if (!final.healthcheck) problems.push('a HEALTHCHECK');
  if (!final.cmd || basename(final.cmd[0]) !== 'node') problems.push('a CMD that starts node itself (exec form, no npm or shell)');
  const auditDb = envOf(final).AUDIT_DB;
  if (!auditDb || !final.volumes.includes(posix.dirname(auditDb))) problems.push("AUDIT_DB's directory as a VOLUME");
  if (problems.length > 0) throw new Error(`the Dockerfile lacks: ${problems.join('; ')}`);
}

function envOf(stage) {
  const env = {};
  for (const step of stage.steps.filter((one) => one.instruction === 'ENV')) {
    for (const [, key, value] of step.rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[key] = value.replace(/^"|"$/g, '');
  }
  return env;
}

/** Runs one stage's steps in `dir`, which stands for the stage's WORKDIR. */
function replay(stage, dir, all) {
  stage.dir = dir;
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const env = {};
  for (const { instruction, rest } of stage.steps) {
    if (instruction === 'WORKDIR') {
      if (stage.workdir !== '/') throw new Error('one WORKDIR per stage, please: the replay maps it to one directory');
      stage.workdir = rest.trim();
    } else if (instruction === 'ENV') {
      Object.assign(env, envOf({ steps: [{ instruction, rest }] }));
    } else if (instruction === 'COPY') {
      copy(rest, stage, all);
    } else if (instruction === 'RUN' && /\bapt-get install\b/.test(rest)) {
      checkHostHas(rest);
    } else if (instruction === 'RUN') {
      process.stdout.write(`RUN ${rest}\n`);
      const ran = spawnSync('sh', ['-c', rest], { cwd: dir, env: { ...process.env, ...env }, stdio: 'inherit' });
      if (ran.status !== 0) throw new Error(`RUN ${rest} exited with ${ran.status}`);
    }
  }
  stage.runEnv = env;
}

/** The commands an `apt-get install` provides, found on this machine instead of installed (see the header). */
function checkHostHas(run) {
  const packages = /apt-get install\s+((?:-\S+\s+)*)([^&;]+)/.exec(run)?.[2].trim().split(/\s+/) ?? [];
  const commandOf = { 'g++': 'g++', make: 'make', python3: 'python3' };
  const missing = packages.filter((name) => spawnSync('sh', ['-c', `command -v ${commandOf[name] ?? name}`]).status !== 0);
  if (missing.length > 0) throw new Error(`RUN ${run}: install ${missing.join(', ')} on this machine to replay it`);
  process.stdout.write(`ok  RUN apt-get install ${packages.join(' ')}: on this machine already, not run\n`);
}

function copy(rest, stage, all) {
  const from = /--from=(\S+)/.exec(rest)?.[1];
  const parts = rest.replace(/--\S+/g, '').trim().split(/\s+/);
  const destination = inStage(stage, parts.pop());
  const source = from === undefined ? undefined : all.find((other, index) => other.name === from || String(index) === from);
  if (from !== undefined && !source?.dir) throw new Error(`COPY --from=${from}: no earlier stage of that name`);
  for (const part of parts) {
    const path = source ? inStage(source, part) : join(root, part);
    const target =
      statSync(path).isDirectory() || /\/$/.test(destination)
        ? join(destination, statSync(path).isDirectory() ? '' : basename(path))
        : destination;
    mkdirSync(statSync(path).isDirectory() ? target : join(target, '..'), { recursive: true, mode: 0o755 });
    cpSync(path, target, { recursive: true });
  }
}

/** A path inside the image, as a path in the stage's directory. */
function inStage(stage, path) {
  const absolute = posix.resolve(stage.workdir, path);
  const relative = posix.relative(stage.workdir, absolute);
  if (relative.startsWith('..')) throw new Error(`${path} is outside the stage's WORKDIR ${stage.workdir}`);
  return join(stage.dir, relative) + (path.endsWith('/') ? '/' : '');
}

/** `docker run image` with no settings, then `docker stop`. */
async function bootFinalStage() {
  const port = await freePort();
  const env = { PATH: process.env.PATH, ...mapPaths(final.runEnv), PORT: String(port) };
  const [uid, gid] = (final.user ?? '').split(':').map(Number);
  const asUser = process.getuid?.() === 0 && Number.isInteger(uid) ? { uid, gid: Number.isInteger(gid) ? gid : uid } : {};
  if (!asUser.uid) process.stdout.write(`note: not root, so the app runs as this user rather than ${final.user}\n`);
  const child = spawn(final.cmd[0] === 'node' ? process.execPath : final.cmd[0], final.cmd.slice(1), {
    cwd: final.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asUser,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    await poll(
      'the HEALTHCHECK to pass',
      () => {
        const [command, ...args] = final.healthcheck;
        return spawnSync(command === 'node' ? process.execPath : command, args, { cwd: final.dir, env, ...asUser }).status === 0;
      },
      () => output,
    );
    const readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
    if (readyz.status !== 200) throw new Error(`/readyz answered ${readyz.status}: ${await readyz.text()}`);
    process.stdout.write(`ok  CMD ${JSON.stringify(final.cmd)} as ${final.user}: HEALTHCHECK passes, /readyz 200\n`);
    child.kill(final.stopSignal);
    const { code, signal } = await Promise.race([exited, sleep(30_000).then(() => ({ code: 'none within 30 s' }))]);
    if (code !== 0) throw new Error(`after ${final.stopSignal} the app exited with ${code ?? signal}\n${output}`);
    process.stdout.write(`ok  ${final.stopSignal}: exit 0\n`);
  } finally {
    child.kill('SIGKILL');
  }
}

function mapPaths(env) {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value.startsWith(`${final.workdir}/`) ? inStage(final, value) : value]),
  );
}

async function poll(what, condition, output) {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output()}`);
    await sleep(250);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
