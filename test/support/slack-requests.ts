import { randomBytes } from 'node:crypto';
import {
  blockActionsPayload,
  interactivityBody,
  signedHeaders,
  slashCommandBody,
  type ButtonClick,
  type SlashCommandFields,
} from '../../src/simulator/sign-request.js';

/** What the app answered to a signed request, and how long the ack took. */
export type AppAnswer = { status: number; body: string; ackMs: number };

export type Signer = {
  /** The app's /slack/events URL. */
  eventsUrl: string;
  signingSecret: string;
  /** Sign with another secret (a forgery) or at another time (a replay). */
  forge?: { secret?: string; nowMs?: number };
};

/** A trigger id no other request has (Slack's are unique; the app acts once per trigger id). */
export function newTriggerId(): string {
  return `trigger.${Date.now()}.${randomBytes(4).toString('hex')}`;
}

/**
 * The form body of a view_submission of `view` (its `id` is the view's) as `user`, with the form's state `values`
 * (block id → action id → value, as Slack sends them).
 */
export function viewSubmissionBody(
  view: { id: string; [key: string]: unknown },
  user: string,
  values: Record<string, Record<string, unknown>>,
): string {
  return interactivityBody({
    type: 'view_submission',
    team: { id: 'T0SIMULATE', domain: 'simulator' },
    user: { id: user, username: user, name: user, team_id: 'T0SIMULATE' },
    api_app_id: 'A0SIMULATE',
    token: 'simulator-verification-token',
    trigger_id: newTriggerId(),
    view: {
      ...view,
      team_id: 'T0SIMULATE',
      type: 'modal',
      hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
      root_view_id: view.id,
      app_id: 'A0SIMULATE',
      bot_id: 'B0SIMULATE',
      state: { values },
    },
    response_urls: [],
  });
}

/** Posts a body to the app with Slack's signature headers, over real HTTP. */
export async function postSigned(signer: Signer, body: string): Promise<AppAnswer> {
  const headers = signedHeaders(signer.forge?.secret ?? signer.signingSecret, body, signer.forge?.nowMs ?? Date.now());
  const started = performance.now();
  const response = await fetch(signer.eventsUrl, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text, ackMs: performance.now() - started };
}

/** Sends a signed slash command, e.g. `/im-user alice bob`. */
export function sendSlashCommand(
  signer: Signer,
  fields: Pick<SlashCommandFields, 'command' | 'text' | 'user_id' | 'response_url'> & Partial<SlashCommandFields>,
): Promise<AppAnswer> {
  return postSigned(signer, slashCommandBody({ channel_id: 'C0GENERAL', trigger_id: newTriggerId(), ...fields }));
}

/** Sends a signed block_actions payload for one button click. */
export function clickButton(
  signer: Signer,
  click: Omit<ButtonClick, 'triggerId' | 'channelId'> & Partial<Pick<ButtonClick, 'triggerId' | 'channelId'>>,
): Promise<AppAnswer> {
  return postSigned(signer, interactivityBody(blockActionsPayload({ channelId: 'C0GENERAL', triggerId: newTriggerId(), ...click })));
}
