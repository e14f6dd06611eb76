import { createHmac } from 'node:crypto';

/**
 * Signs requests the way Slack does, so the local simulator (and tests) can send slash commands and button clicks to
 * the app through its real signature check. `X-Slack-Signature: v0=` + hex HMAC-SHA256(secret, `v0:{ts}:{body}`).
 */

/** Slack's signature of a raw body sent at `timestampSec` (Unix seconds). */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

/** The headers of a signed, form-encoded Slack request. `nowMs` @default Date.now() */
export function signedHeaders(signingSecret: string, body: string, nowMs: number = Date.now()): Record<string, string> {
  const timestampSec = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': slackSignature(signingSecret, timestampSec, body),
  };
}

/** The form fields of a slash command as Slack sends them. */
export type SlashCommandFields = {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  response_url: string;
  trigger_id: string;
  team_id?: string;
  team_domain?: string;
  channel_name?: string;
  user_name?: string;
  api_app_id?: string;
};

/** A slash command's form-encoded body. */
export function slashCommandBody(fields: SlashCommandFields): string {
  const complete = {
    token: 'simulator-verification-token',
    team_id: 'T0SIMULATE',
    team_domain: 'simulator',
    channel_name: 'general',
    user_name: fields.user_id,
    api_app_id: 'A0SIMULATE',
    ...fields,
  };
  return new URLSearchParams(complete).toString();
}

/** The body of an interactivity request (block_actions, view_submission…): one form field, `payload`, holding JSON. */
export function interactivityBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type ButtonClick = {
  userId: string;
  channelId: string;
  actionId: string;
  value: string;
  responseUrl: string;
  triggerId: string;
  /** The message the button sits in, if any. */
  message?: { ts: string; text?: string; blocks?: unknown[] };
  blockId?: string;
  teamId?: string;
  /** Unix seconds as Slack writes them ("1700000000.123456"). @default now */
  actionTs?: string;
};

/** A block_actions payload for one button click, shaped like Slack's. */
export function blockActionsPayload(click: ButtonClick): object {
  const teamId = click.teamId ?? 'T0SIMULATE';
  const actionTs = click.actionTs ?? (Date.now() / 1000).toFixed(6);
  return {
    type: 'block_actions',
    user: { id: click.userId, username: click.userId, name: click.userId, team_id: teamId },
    api_app_id: 'A0SIMULATE',
    token: 'simulator-verification-token',
    container: click.message
      ? { type: 'message', message_ts: click.message.ts, channel_id: click.channelId, is_ephemeral: true }
      : { type: 'message', channel_id: click.channelId },
    trigger_id: click.triggerId,
    team: { id: teamId, domain: 'simulator' },
    channel: { id: click.channelId, name: 'general' },
    response_url: click.responseUrl,
    ...(click.message ? { message: { type: 'message', ...click.message } } : {}),
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: click.blockId ?? 'simulated',
        value: click.value,
        text: { type: 'plain_text', text: click.actionId },
        action_ts: actionTs,
      },
    ],
  };
}
