import { randomBytes } from 'node:crypto';
import { slackSignature } from './sign-request.js';

/**
 * The requests Slack sends for the App Home, shortcuts and Workflow Builder steps, shaped like Slack's: Events API
 * callbacks (JSON, signed like every request) and the shortcut payloads (form-encoded `payload`, like block_actions).
 * Over Socket Mode the same objects travel as an envelope's payload.
 */

const API_APP_ID = 'A0SIMULATE';

/** The headers of a signed JSON request (Events API). `nowMs` @default Date.now() */
export function signedJsonHeaders(signingSecret: string, body: string, nowMs: number = Date.now()): Record<string, string> {
  const timestampSec = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': slackSignature(signingSecret, timestampSec, body),
  };
}

/** An Events API callback wrapping `event`, as Slack posts it (`type: event_callback`). */
export function eventCallback(event: Record<string, unknown>, teamId = 'T0SIMULATE'): Record<string, unknown> {
  const now = Date.now();
  return {
    token: 'simulator-verification-token',
    team_id: teamId,
    api_app_id: API_APP_ID,
    event: { event_ts: (now / 1000).toFixed(6), ...event },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(now / 1000),
    authorizations: [{ team_id: teamId, user_id: 'U0IMADMINBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** A person opened the app's Home tab. */
export function appHomeOpenedEvent(userId: string, tab: 'home' | 'messages' = 'home'): Record<string, unknown> {
  return { type: 'app_home_opened', user: userId, channel: `D${userId.slice(1)}`, tab };
}

/** A step of this app runs in a workflow: its inputs, its execution id, and the workflow token it may act with. */
export function functionExecutedEvent(input: {
  callbackId: string;
  title?: string;
  executionId: string;
  workflowExecutionId?: string;
  botAccessToken: string;
  inputs: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: 'function_executed',
    function: {
      id: `Fn${randomBytes(5).toString('hex').toUpperCase()}`,
      callback_id: input.callbackId,
      title: input.title ?? input.callbackId,
      description: '',
      type: 'app',
      input_parameters: [],
      output_parameters: [],
      app_id: API_APP_ID,
      date_created: 1_700_000_000,
      date_updated: 1_700_000_000,
      date_deleted: 0,
    },
    inputs: input.inputs,
    function_execution_id: input.executionId,
    workflow_execution_id: input.workflowExecutionId ?? `Wx${randomBytes(5).toString('hex').toUpperCase()}`,
    bot_access_token: input.botAccessToken,
  };
}

export type ShortcutPerson = { id: string; name: string };

/** The message shortcut payload (`message_action`): the message it was used on, with a response_url to answer in. */
export function messageShortcutPayload(input: {
  callbackId: string;
  user: ShortcutPerson;
  channel: { id: string; name: string };
  message: { ts: string; text: string; user?: string };
  triggerId: string;
  responseUrl: string;
  teamId?: string;
}): Record<string, unknown> {
  const teamId = input.teamId ?? 'T0SIMULATE';
  return {
    type: 'message_action',
    token: 'simulator-verification-token',
    action_ts: (Date.now() / 1000).toFixed(6),
    team: { id: teamId, domain: 'simulator' },
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: teamId },
    channel: input.channel,
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: { type: 'message', ...input.message },
  };
}

/** The global shortcut payload (`shortcut`): no channel, no message, no response_url; a trigger to open a modal. */
export function globalShortcutPayload(input: {
  callbackId: string;
  user: ShortcutPerson;
  triggerId: string;
  teamId?: string;
}): Record<string, unknown> {
  const teamId = input.teamId ?? 'T0SIMULATE';
  return {
    type: 'shortcut',
    token: 'simulator-verification-token',
    action_ts: (Date.now() / 1000).toFixed(6),
    team: { id: teamId, domain: 'simulator' },
    user: { id: input.user.id, username: input.user.name, team_id: teamId },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
  };
}
