import {
  appHomeOpenedEvent,
  eventCallback,
  functionExecutedEvent,
  globalShortcutPayload,
  messageShortcutPayload,
  signedJsonHeaders,
} from '../../src/simulator/slack-payloads.js';
import type { SlackApi } from '../../src/simulator/slack-api.js';
import { interactivityBody } from '../../src/simulator/sign-request.js';
import { newTriggerId, postSigned, type AppAnswer, type Signer } from './slack-requests.js';

/** Posts an Events API callback to the app, signed, as JSON (how Slack sends events), over real HTTP. */
export async function sendEvent(signer: Signer, event: Record<string, unknown>): Promise<AppAnswer> {
  const body = JSON.stringify(eventCallback(event));
  const started = performance.now();
  const response = await fetch(signer.eventsUrl, { method: 'POST', headers: signedJsonHeaders(signer.signingSecret, body), body });
  return { status: response.status, body: await response.text(), ackMs: performance.now() - started };
}

export const openHome = (signer: Signer, userId: string) => sendEvent(signer, appHomeOpenedEvent(userId));

/** Runs a Workflow Builder step as Slack does: a new execution on the local Slack, then function_executed. */
export async function runStep(
  signer: Signer,
  slack: SlackApi,
  callbackId: string,
  inputs: Record<string, unknown>,
  execution = slack.startFunctionExecution(callbackId),
): Promise<{ ack: AppAnswer; executionId: string; token: string }> {
  const event = functionExecutedEvent({ callbackId, executionId: execution.id, botAccessToken: execution.token, inputs });
  return { ack: await sendEvent(signer, event), executionId: execution.id, token: execution.token };
}

/** ⋮ → the message shortcut `callbackId` on a message with `text`, as `userId`; answers go to response_url `responseId`. */
export function useMessageShortcut(
  signer: Signer,
  slack: SlackApi,
  input: { callbackId: string; userId: string; text: string; responseId: string },
): Promise<AppAnswer> {
  const payload = messageShortcutPayload({
    callbackId: input.callbackId,
    user: { id: input.userId, name: input.userId },
    channel: { id: 'C0GENERAL', name: 'general' },
    message: { ts: '1700000000.000200', text: input.text, user: 'U0REPORTER' },
    triggerId: newTriggerId(),
    responseUrl: slack.responseUrl(input.responseId),
  });
  return postSigned(signer, interactivityBody(payload));
}

export function useGlobalShortcut(signer: Signer, input: { callbackId: string; userId: string }): Promise<AppAnswer> {
  const payload = globalShortcutPayload({
    callbackId: input.callbackId,
    user: { id: input.userId, name: input.userId },
    triggerId: newTriggerId(),
  });
  return postSigned(signer, interactivityBody(payload));
}
