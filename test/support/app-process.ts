import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import type { Signer } from './slack-requests.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export type AppProcess = {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Signs requests for this process's /slack/events. */
  readonly signer: Signer;
  readonly child: ChildProcess;
  /** What the process wrote to stderr and stdout (its log lines), for a failure message. */
  output(): string;
  /** GET a path of the app (e.g. /readyz): the status code, or 0 when nothing answers. */
  status(path: string): Promise<number>;
  /** `kill -9`: no shutdown hooks, no flush, exactly like a node lost. */
  crash(): Promise<void>;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
};

/**
 * Starts the app as production does (`node --import tsx src/main.ts`) with `env` on top of a clean environment, on a
 * free port, and resolves once /readyz answers 200 (connected, audit trail started, taking requests). For tests with
 * several app processes (replicas on one database).
 */
export async function startAppProcess(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<AppProcess> {
  const port = await freePort();
  const signingSecret = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'info', SLACK_SIGNING_SECRET: signingSecret, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const status = (path: string) =>
    fetch(`${url}${path}`).then(
      (response) => response.status,
      () => 0,
    );
  const started = Date.now();
  while ((await status('/readyz')) !== 200) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} during start-up:\n${output}`);
    if (Date.now() - started > (options.timeoutMs ?? 30_000)) {
      child.kill('SIGKILL');
      throw new Error(`the app was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    signer: { eventsUrl: `${url}/slack/events`, signingSecret },
    child,
    output: () => output,
    status,
    crash: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}
