import { randomBytes } from 'node:crypto';
import { blockActionsRequest, type AppEndpoint, type AppReply, type ClickedElement, type Team } from './app-link.js';
import { usernameOf } from './command-mentions.js';
import { interactivityBody, signedHeaders } from './sign-request.js';
import type { SlackApi } from './slack-api.js';
import { appHomeOpenedEvent, eventCallback, functionExecutedEvent, messageShortcutPayload, signedJsonHeaders } from './slack-payloads.js';
import { stepCatalog } from './step-catalog.js';
import type { Workspace } from './workspace.js';

/**
 * The simulator's App Home, message shortcut and Workflows panel: each sends what Slack sends (app_home_opened and
 * block_actions from a home view; message_action with the message and a response_url; function_executed with a
 * fresh execution and its workflow token) and the workspace shows what the app answered (views.publish; the
 * ephemeral answer; completeSuccess or completeError).
 */
export type Surfaces = {
  openHome(user: string): Promise<AppReply>;
  /** A button on the person's Home, with what they typed in its inputs (block_id → action_id → text). */
  clickHome(user: string, element: ClickedElement, typed: Record<string, Record<string, string>>): Promise<AppReply>;
  /** ⋮ → the message shortcut `callbackId` on a message. */
  messageShortcut(user: string, messageId: string, callbackId: string): Promise<AppReply>;
  /** Runs a step of the catalog with these inputs, the acting person being `user`. */
  runStep(user: string, callbackId: string, inputs: Record<string, unknown>): Promise<AppReply | { refused: string; message: string }>;
};

export function createSurfaces(options: { workspace: Workspace; slackApi: SlackApi; app: AppEndpoint; team?: Team }): Surfaces {
  const { workspace, slackApi, app } = options;
  const team = options.team ?? { id: 'T0SIMULATE', domain: 'simulator' };
  const person = (id: string) => ({ id, name: usernameOf(workspace.person(id)?.name ?? id) });
  const trigger = (user: string, channel: string, messageId?: string) => {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    workspace.registerTrigger(id, { user, channel, ...(messageId ? { messageId } : {}) });
    return id;
  };
  const post = async (body: string, json: boolean): Promise<AppReply> => {
    const now = (app.now ?? Date.now)();
    const headers = json ? signedJsonHeaders(app.signingSecret, body, now) : signedHeaders(app.signingSecret, body, now);
    try {
      const response = await fetch(app.eventsUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(app.timeoutMs ?? 10_000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  };
  const sendEvent = (event: Record<string, unknown>) => post(JSON.stringify(eventCallback(event, team.id)), true);

  return {
    openHome: (user) => sendEvent(appHomeOpenedEvent(user)),

    clickHome(user, element, typed) {
      const home = workspace.homes.get(user) ?? { type: 'home', blocks: [] };
      const values = Object.fromEntries(
        Object.entries(typed).map(([block, actions]) => [
          block,
          Object.fromEntries(Object.entries(actions).map(([action, value]) => [action, { type: 'plain_text_input', value }])),
        ]),
      );
      const view = { id: typeof home.id === 'string' ? home.id : 'VHOME', ...home, type: 'home', state: { values } };
      return post(
        blockActionsRequest({ team, user: person(user), channelId: '', triggerId: trigger(user, `D${user.slice(1)}`), element, view }),
        false,
      );
    },

    messageShortcut(user, messageId, callbackId) {
      const message = workspace.message(messageId);
      if (!message) return Promise.resolve({ status: 404, body: 'no such message' });
      const channel = workspace.ensureChannel(message.channel);
      const responseId = randomBytes(10).toString('hex');
      workspace.registerResponseUrl(responseId, { user, channel: message.channel, messageId });
      const payload = messageShortcutPayload({
        callbackId,
        user: person(user),
        channel: { id: channel.id, name: channel.name },
        message: { ts: message.ts, text: message.text ?? '', user: message.author },
        triggerId: trigger(user, message.channel, messageId),
        responseUrl: slackApi.responseUrl(responseId),
        teamId: team.id,
      });
      return post(interactivityBody(payload), false);
    },

    async runStep(user, callbackId, inputs) {
      const step = stepCatalog.find((s) => s.callbackId === callbackId);
      if (!step) return { refused: 'unknown_step', message: `The app declares no step ${callbackId}.` };
      const missing = step.inputs.filter((input) => input.required && (inputs[input.name] === undefined || inputs[input.name] === ''));
      // Workflow Builder does not start a step whose required inputs are empty.
      if (missing.length > 0) return { refused: 'missing_input', message: `Fill in ${missing.map((input) => input.title).join(', ')}.` };
      const execution = slackApi.startFunctionExecution(callbackId);
      const allInputs = { ...inputs, user_context: { id: user, secret: randomBytes(8).toString('base64') } };
      workspace.stepRuns.push({ executionId: execution.id, user, callbackId, inputs: allInputs, status: 'running' });
      workspace.changed();
      return sendEvent(
        functionExecutedEvent({
          callbackId,
          title: step.title,
          executionId: execution.id,
          botAccessToken: execution.token,
          inputs: allInputs,
        }),
      );
    },
  };
}
