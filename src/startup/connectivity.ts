import type { AppLogger } from '../logger.js';
import { ImAdminError } from '../errors.js';

/**
 * Start-up when Slack or NetEase cannot be reached. The app's port is already open (so /healthz answers and /readyz
 * says what it waits for); each service is asked once, and what did not answer is asked again with backoff until it
 * does, each failure logged with the URL that failed and what to check. Credentials the service rejects are not a
 * network problem: they stop the start at once (CredentialsRejectedError), because retrying cannot fix them.
 */

/** One service to reach before taking requests. */
export type ConnectivityCheck = {
  /** 'Slack', 'NetEase': how the operator knows it. */
  service: string;
  /** The URL the check calls, for the log and /readyz (never with credentials in it). */
  url: string;
  /** What to check when it cannot be reached: the settings and the network. */
  hint: string;
  /** Resolves once the service answered. Throws CredentialsRejectedError when it refused the credentials. */
  run(): Promise<void>;
};

export type ConnectivityFailure = { check: ConnectivityCheck; cause: string };

/** The service answered and refused the app's credentials: retrying cannot help. */
export class CredentialsRejectedError extends ImAdminError {
  readonly code = 'credentials_rejected';
  constructor(message: string, options: ErrorOptions & { cause: unknown }) {
    super(message, options);
    this.name = 'CredentialsRejectedError';
  }
}

/** Runs every check once, concurrently. Resolves with those that could not reach their service. */
export async function checkConnectivity(checks: readonly ConnectivityCheck[]): Promise<ConnectivityFailure[]> {
  const results = await Promise.all(
    checks.map(async (check): Promise<ConnectivityFailure | undefined> => {
      try {
        await check.run();
        return undefined;
      } catch (error) {
        if (error instanceof CredentialsRejectedError) throw error;
        return { check, cause: describeCause(error) };
      }
    }),
  );
  return results.filter((result) => result !== undefined);
}

export type RetryOptions = {
  logger: AppLogger;
  /** Delay before the first retry, in ms; doubles per attempt. @default 1000 */
  baseDelayMs?: number;
  /** Longest delay between attempts, in ms. @default 30000 */
  maxDelayMs?: number;
  /** Called after every attempt that still failed (for /readyz). */
  onFailures?: (failures: readonly ConnectivityFailure[]) => void;
  /** Aborting (the app stops before it got through) ends the loop with the signal's reason. */
  signal?: AbortSignal;
};

/**
 * Logs `failures` and asks the failed services again with capped exponential backoff until every one answers.
 * Rejects with CredentialsRejectedError if a service, once reached, refuses the credentials.
 */
export async function retryUntilReachable(failures: readonly ConnectivityFailure[], options: RetryOptions): Promise<void> {
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let pending = failures;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const retryInMs = Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
    for (const { check, cause } of pending) {
      options.logger.warn(
        { service: check.service, url: check.url, cause, attempt, retryInMs },
        `${check.service} cannot be reached at ${check.url} (${cause}): ${check.hint}. Not ready; trying again in ${formatDelay(retryInMs)}`,
      );
    }
    options.onFailures?.(pending);
    await delay(retryInMs, options.signal);
    pending = await checkConnectivity(pending.map(({ check }) => check));
  }
}

/** "waiting for Slack (https://…/auth.test: connect ECONNREFUSED)", for /readyz. */
export function describeFailures(failures: readonly ConnectivityFailure[]): string {
  return `waiting for ${failures.map(({ check, cause }) => `${check.service} (${check.url}: ${cause})`).join(' and ')}`;
}

/** The innermost useful words of an error: a system code (ECONNREFUSED, ENOTFOUND…) where there is one. */
function describeCause(error: unknown): string {
  const messages: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause, original } = current as { code?: unknown; message?: unknown; cause?: unknown; original?: unknown };
    if (typeof code === 'string' && /^E[A-Z]+$|^UND_ERR/.test(code)) return typeof message === 'string' && message ? message : code;
    if (typeof message === 'string' && message) messages.push(message);
    current = cause ?? original;
  }
  return messages.at(-1) ?? String(error);
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
