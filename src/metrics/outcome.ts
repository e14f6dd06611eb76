import { AsyncLocalStorage } from 'node:async_hooks';
import { AuditStoreError } from '../audit/store/contract.js';
import { InputError } from '../errors.js';
import { NimApiError, NimAuthError, NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError } from '../nim/errors.js';

/**
 * How a Slack command ended, for `im_admin_slack_commands_total{command,outcome}`. The command's handler runs inside
 * trackCommand(); the shared steps it goes through (refusal, failure answer, …) call noteOutcome(), so the outcome is
 * known without threading a result through every function. Outside a tracked command noteOutcome() does nothing.
 */

export type CommandOutcome =
  | 'ok'
  | 'usage'
  | 'refused'
  | 'input_error'
  | 'not_found'
  | 'nim_error'
  | 'audit_error'
  /** A repeat of a command or submission already acted on: answered, nothing sent. */
  | 'repeat'
  /** Someone else changed what the form would change: shown to the person, nothing sent. */
  | 'conflict'
  | 'slack_error'
  | 'error';

/** Where the count goes: the Metrics object, or anything with this method (tests). */
export type CommandCounter = { commandHandled(command: string, outcome: CommandOutcome): void };

type Tracked = { outcome: CommandOutcome };

const current = new AsyncLocalStorage<Tracked>();

/**
 * Runs one command's handler and counts it once with its outcome: 'ok' unless a step said otherwise, 'error' when the
 * handler throws (the error is rethrown). Without a counter it just runs the handler.
 */
export async function trackCommand<T>(counter: CommandCounter | undefined, command: string, handler: () => Promise<T>): Promise<T> {
  if (!counter) return handler();
  const tracked: Tracked = { outcome: 'ok' };
  try {
    return await current.run(tracked, handler);
  } catch (error) {
    tracked.outcome = 'error';
    throw error;
  } finally {
    counter.commandHandled(command, tracked.outcome);
  }
}

/** Says how the tracked command (if any) ended. The first failure-like outcome wins over later ones. */
export function noteOutcome(outcome: CommandOutcome): void {
  const tracked = current.getStore();
  if (!tracked) return;
  if (tracked.outcome === 'ok' || tracked.outcome === 'usage') tracked.outcome = outcome;
}

/** Notes the outcome an error stands for (see outcomeOfError). */
export function noteFailure(error: unknown): void {
  noteOutcome(outcomeOfError(error));
}

export function outcomeOfError(error: unknown): CommandOutcome {
  if (error instanceof InputError) return 'input_error';
  if (
    error instanceof NimApiError ||
    error instanceof NimAuthError ||
    error instanceof NimRateLimitedError ||
    error instanceof NimTransportError ||
    error instanceof NimWriteUnconfirmedError
  ) {
    return 'nim_error';
  }
  if (error instanceof AuditStoreError) return 'audit_error';
  if (isSlackApiError(error)) return 'slack_error';
  return 'error';
}

/** @slack/web-api errors carry a `slack_…` code. */
function isSlackApiError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('slack_');
}

/** `handler` wrapped in trackCommand(), for a Bolt listener: `app.action(id, tracked(deps.metrics, 'button:…', async (args) => …))`. */
export function tracked<A extends unknown[]>(
  counter: CommandCounter | undefined,
  command: string,
  handler: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return (...args: A) => trackCommand(counter, command, () => handler(...args));
}
