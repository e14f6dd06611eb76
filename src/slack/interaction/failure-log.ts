import type { AppLogger } from '../../logger.js';
import { InputError } from '../../errors.js';
import { NimApiError, isAboutWhatWasTyped } from '../../nim/errors.js';

/**
 * Logs a failed command or form. What NetEase refused because of what a person typed (an id that does not exist, a
 * value too long) is routine: info, with NetEase's code and desc and no stack. Anything else is error, with the error
 * (its stack and cause) for whoever runs the app.
 */
export function logFailure(log: AppLogger, error: unknown, fields: Record<string, unknown>, message: string): void {
  if (!isAboutWhatWasTyped(error)) {
    log.error({ err: error, ...fields }, message);
    return;
  }
  const detail =
    error instanceof NimApiError
      ? { endpoint: error.endpoint, nimCode: error.nimCode, desc: error.desc }
      : error instanceof InputError
        ? { field: error.field, rule: error.rule }
        : {};
  log.info({ ...fields, ...detail }, `${message}: refused because of what was typed`);
}
