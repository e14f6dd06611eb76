import type { KnownBlock } from '@slack/types';
import { AuditStoreError } from '../../audit/store/contract.js';
import { InputError } from '../../errors.js';
import { NimApiError, NimAuthError, NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError } from '../../nim/errors.js';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from './message.js';
import { code, context, section, untrusted } from './text.js';

/** How much of NetEase's own `desc` is quoted: enough to say which parameter, not a wall of text. */
const DESC_MAX = 200;

/**
 * Every failure as a message that says what happened and what to do, with the NetEase code when there is one.
 * Never a stack trace, never the raw error message (for NimAuthError that carries NetEase's desc, which has no
 * place in front of a person); unknown errors only get a reference to find the log line.
 */
export function renderError(
  error: unknown,
  input: {
    locale: Locale;
    correlationId?: string;
    /** What to say instead of the generic text for this error, when the caller knows more (which id was not found). Escaped mrkdwn. */
    explanation?: string | undefined;
  },
): SlackMessage {
  const m = messages(input.locale);
  const inputErrors = collectInputErrors(error);
  const body = inputErrors ? inputText(m, inputErrors) : (input.explanation ?? describe(m, error, input.correlationId));
  const title = inputErrors ? m.errors.inputTitle : m.errors.title;
  const blocks: KnownBlock[] = [section(`*${title}*\n${body}`)];
  const known =
    inputErrors !== undefined ||
    error instanceof NimApiError ||
    error instanceof NimAuthError ||
    error instanceof NimRateLimitedError ||
    error instanceof NimTransportError ||
    error instanceof NimWriteUnconfirmedError;
  if (input.correlationId && known) blocks.push(context(m.common.reference(untrusted(input.correlationId, 100))));
  return { text: body.replace(/\*/g, ''), blocks };
}

function describe(m: Messages, error: unknown, correlationId: string | undefined): string {
  if (error instanceof AuditStoreError) return m.errors.auditUnavailable;
  if (error instanceof NimRateLimitedError) return m.errors.rateLimited(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  if (error instanceof NimAuthError) return m.errors.auth(error.nimCode);
  if (error instanceof NimTransportError) return m.errors.unavailable(transportDetail(m, error));
  if (error instanceof NimWriteUnconfirmedError) {
    return error.inPlace === false ? m.errors.unconfirmedNotApplied : m.errors.unconfirmedUnknown;
  }
  if (error instanceof NimApiError) return apiText(m, error);
  return correlationId ? m.errors.unknown(untrusted(correlationId, 100)) : m.errors.unknownNoReference;
}

function transportDetail(m: Messages, error: NimTransportError): string {
  switch (error.failure) {
    case 'timeout':
      return m.errors.transportTimeout;
    case 'connection':
      return m.errors.transportConnection;
    case 'http_status':
      return m.errors.transportHttpStatus(error.httpStatus === undefined ? '?' : String(error.httpStatus));
    case 'malformed_response':
      return m.errors.transportMalformed;
  }
}

/** NetEase's business codes (nim-api.md), each with what the person can do about it, quoting NetEase's desc (escaped). */
function apiText(m: Messages, error: NimApiError): string {
  const codeNumber = error.nimCode;
  const desc = quotedDesc(error);
  switch (codeNumber) {
    case 403:
      return m.errors.forbidden(codeNumber);
    case 404:
      return m.errors.notFound(codeNumber, desc);
    case 405:
      return m.errors.tooLong(codeNumber);
    case 414:
      return m.errors.badParameter(codeNumber, desc);
    case 416:
      // The client turns 416 into NimRateLimitedError; NetEase blocks the app for 10 s.
      return m.errors.rateLimited(10);
    case 417:
      return m.errors.repeated(codeNumber);
    case 419:
      return m.errors.overLimit(codeNumber);
    case 431:
      return m.errors.duplicate(codeNumber);
    case 500:
    case 503:
    case 514:
      return m.errors.busy(codeNumber);
    default:
      return m.errors.otherApi(codeNumber, desc);
  }
}

/** NetEase's own `desc`, escaped and bounded, as inline code; empty when it gave none. */
export function quotedDesc(error: NimApiError): string {
  return error.desc ? code(error.desc, DESC_MAX) : '';
}

/** Validation returns every problem at once: one InputError, an array of them, or an AggregateError of them. */
function collectInputErrors(error: unknown): InputError[] | undefined {
  const list = Array.isArray(error) ? error : error instanceof AggregateError ? error.errors : [error];
  return list.length > 0 && list.every((item) => item instanceof InputError) ? list : undefined;
}

function inputText(m: Messages, errors: InputError[]): string {
  const fieldLabels = m.fields as Record<string, string>;
  const lines = errors.slice(0, 10).map((error) => {
    const label = untrusted(fieldLabels[error.field] ?? error.field, 80);
    const typed = error.value === undefined || error.value === '' ? '' : ` ${m.errors.inputTyped(code(error.value, 80))}`;
    return `• ${m.errors.inputLine(label, untrusted(error.rule, 300))}${typed}`;
  });
  if (errors.length > 10) lines.push(m.common.andMore(errors.length - 10));
  return lines.join('\n');
}
