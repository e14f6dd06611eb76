/**
 * What Slack itself says, not the app: the message box's length limit, and Slackbot's notices for a command no app
 * declares or an app that did not answer. In Slack's words, in English, as Slack's own client shows them.
 */

/** What Slack's message box refuses before anything is sent, with the words Slack shows under it. */
export type Refused = { refused: 'msg_too_long'; message: string };

/** Slack's message box takes at most this many characters (its documented limit for a message, commands included). */
export const MESSAGE_MAX_CHARS = 4000;

export function tooLong(length: number): Refused {
  const over = length - MESSAGE_MAX_CHARS;
  const n = (value: number) => value.toLocaleString('en');
  return {
    refused: 'msg_too_long',
    message: `Your message is too long: ${n(length)} characters, ${n(over)} over Slack's limit of ${n(MESSAGE_MAX_CHARS)}. Shorten it to send it.`,
  };
}

/** Slackbot's words for a command no app in the workspace declares; `command` already escaped for mrkdwn. */
export function notACommand(command: string): string {
  return `\`${command}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.\n\nIf you are trying to send a message that starts with a "/" character, try adding a space before it.`;
}

/** Slackbot's words when an app does not answer a command or a click in time, or answers with an error status. */
export function failedWith(what: string, status: number): string {
  const error = status === 0 ? 'operation_timeout' : status === 404 ? 'dispatch_failed' : `http_error (${status})`;
  return `${what} failed with the error "${error}"`;
}
