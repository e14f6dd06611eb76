import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/** Debian's `postgresql` package puts the server binaries off the PATH, in /usr/lib/postgresql/<major>/bin. */
const binDir = process.env.PG_BIN_DIR ?? newestDebianBinDir();

function newestDebianBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0] ?? '15';
  return join(root, newest, 'bin');
}
const runningAsRoot = userInfo().uid === 0;

/**
 * Why a PostgreSQL server cannot be started here, or `undefined` when it can. PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` user (which the Debian package creates).
 */
export function postgresUnavailableReason(): string | undefined {
  if (!existsSync(join(binDir, 'initdb')) || !existsSync(join(binDir, 'pg_ctl'))) {
    return `no initdb/pg_ctl in ${binDir} (install the Debian package postgresql)`;
  }
  if (runningAsRoot && spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status !== 0) {
    return 'running as root and there is no postgres user to run the server as';
  }
  return undefined;
}

export type PostgresServer = {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** Creates an empty database and returns its URL: one per test keeps tests independent. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: open sessions are ended) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server without removing its data, to start it again on the same port ("the database came back"). */
  pause(): void;
  /** Starts a paused server again. */
  resume(): void;
};

/**
 * Starts a throw-away PostgreSQL server in a temporary directory on a free loopback port, with trust authentication
 * and no fsync (the tests need no durability across a power cut, and creating a database per test stays fast);
 * `durable` keeps fsync on, for benchmarks of what a commit costs.
 * Stopped at process exit if the test forgets. Use one per test file and `createDatabase()` per test.
 */
export async function startPostgresServer(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const durability = options.durable ? '' : ' -F';
  const unavailable = postgresUnavailableReason();
  if (unavailable) throw new Error(`cannot start PostgreSQL: ${unavailable}`);
  const dir = mkdtempSync(join(tmpdir(), 'im-admin-pg-'));
  const dataDir = join(dir, 'data');
  if (runningAsRoot) chownToPostgres(dir);
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], dir);

  let port = 0;
  let lastError = '';
  for (let attempt = 0; attempt < 5 && port === 0; attempt += 1) {
    const candidate = await freePort();
    const started = pgCtlStart(dataDir, dir, candidate, durability);
    if (started.ok) port = candidate;
    else lastError = started.output;
  }
  if (port === 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start:\n${lastError}`);
  }

  let running = true;
  let removed = false;
  const stopNow = () => {
    if (running) run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'], dir, true);
    running = false;
  };
  const onExit = () => {
    stopNow();
    if (!removed) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    port,
    url,
    async createDatabase() {
      databases += 1;
      const name = `test_${process.pid}_${databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // FILE_COPY copies the tiny template directory instead of WAL-logging every block: much faster per test.
        await client.query(`CREATE DATABASE ${name} TEMPLATE template0 STRATEGY FILE_COPY`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      stopNow();
      if (!removed) rmSync(dir, { recursive: true, force: true });
      removed = true;
      process.off('exit', onExit);
    },
    pause() {
      stopNow();
    },
    resume() {
      if (running) return;
      const started = pgCtlStart(dataDir, dir, port, durability);
      if (!started.ok) throw new Error(`PostgreSQL did not start again:\n${started.output}`);
      running = true;
    },
  };
}

function pgCtlStart(dataDir: string, dir: string, port: number, durability: string): { ok: boolean; output: string } {
  // -k: the Unix socket lives in our directory (the default /var/run/postgresql may not exist or be writable).
  const options = `-p ${port} -h 127.0.0.1 -k ${dir}${durability} -c max_connections=200`;
  const log = join(dir, 'server.log');
  const result = run('pg_ctl', ['start', '-D', dataDir, '-l', log, '-w', '-t', '30', '-o', options], dir, true);
  if (result.status === 0) return { ok: true, output: '' };
  const logText = spawnSync('cat', [log], { encoding: 'utf8' }).stdout ?? '';
  return { ok: false, output: `${result.output}\n${logText}` };
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. Throws on failure unless `tolerant`. */
function run(binary: string, args: string[], cwd: string, tolerant = false): { status: number | null; output: string } {
  const command = join(binDir, binary);
  const result = runningAsRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { cwd, encoding: 'utf8' })
    : spawnSync(command, args, { cwd, encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  if (!tolerant && result.status !== 0) throw new Error(`${binary} failed:\n${output}`);
  return { status: result.status, output };
}

function chownToPostgres(dir: string): void {
  const ids = spawnSync('id', ['postgres'], { encoding: 'utf8' }).stdout;
  const uid = Number(/uid=(\d+)/.exec(ids)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(ids)?.[1]);
  // initdb, the server and pg_ctl's log file all write inside it.
  chownSync(dir, uid, gid);
}
