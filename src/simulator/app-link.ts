import { blockActionsPayload, interactivityBody, signedHeaders, slashCommandBody } from './sign-request.js';

/**
 * The simulator's side of the wire to the app: real HTTP POSTs to `/slack/events`, form-encoded and signed with the
 * signing secret exactly as Slack sends them, so the app cannot tell the simulator from Slack.
 */

export type AppEndpoint = {
  /** The app's `/slack/events` URL. */
  eventsUrl: string;
  signingSecret: string;
  /** @default Date.now */
  now?: () => number;
  /** How long to wait for the app's answer; Slack gives up after 3 s. @default 10000 */
  timeoutMs?: number;
};

/** The app's HTTP answer: for a command, an ack body becomes a message; for a submission, a `response_action`. */
export type AppReply = { status: number; body: string };

export async function postToApp(endpoint: AppEndpoint, body: string): Promise<AppReply> {
  const headers = signedHeaders(endpoint.signingSecret, body, (endpoint.now ?? Date.now)());
  try {
    const response = await fetch(endpoint.eventsUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(endpoint.timeoutMs ?? 10_000),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    // What Slack shows when the app does not answer: the status stands for "no answer".
    return { status: 0, body: error instanceof Error ? error.message : String(error) };
  }
}

/** Parses an ack body that is JSON (Bolt sends JSON for `ack({ … })`), or undefined for empty or plain-text bodies. */
export function replyJson(reply: AppReply): Record<string, unknown> | undefined {
  if (reply.body.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(reply.body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export type Team = { id: string; domain: string };

export function commandRequest(input: {
  team: Team;
  user: { id: string; name: string };
  channel: { id: string; name: string };
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}): string {
  return slashCommandBody({
    command: input.command,
    text: input.text,
    user_id: input.user.id,
    user_name: input.user.name,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    team_id: input.team.id,
    team_domain: input.team.domain,
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  });
}

export type ClickedElement = {
  actionId: string;
  blockId: string;
  /** 'button' or 'static_select'. */
  type: string;
  value?: string;
  text?: string;
  selectedOption?: { text: { type: 'plain_text'; text: string }; value: string };
};

/** A block_actions payload for a click on a message (public or ephemeral) or inside a modal. */
export function blockActionsRequest(input: {
  team: Team;
  user: { id: string; name: string };
  channelId: string;
  triggerId: string;
  element: ClickedElement;
  message?: { ts: string; text?: string; blocks?: unknown[]; ephemeral: boolean };
  responseUrl?: string;
  view?: Record<string, unknown>;
}): string {
  const base = blockActionsPayload({
    userId: input.user.id,
    channelId: input.channelId,
    actionId: input.element.actionId,
    value: input.element.value ?? '',
    responseUrl: input.responseUrl ?? '',
    triggerId: input.triggerId,
    blockId: input.element.blockId,
    teamId: input.team.id,
    ...(input.message ? { message: { ts: input.message.ts, text: input.message.text ?? '', blocks: input.message.blocks ?? [] } } : {}),
  }) as Record<string, unknown> & { actions: Record<string, unknown>[] };
  const action: Record<string, unknown> = {
    ...base.actions[0],
    type: input.element.type,
    ...(input.element.text !== undefined ? { text: { type: 'plain_text', text: input.element.text, emoji: true } } : {}),
    ...(input.element.selectedOption ? { selected_option: input.element.selectedOption } : {}),
  };
  if (input.element.type !== 'button') delete action.value;
  const payload: Record<string, unknown> = {
    ...base,
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: input.team.id },
    team: input.team,
    actions: [action],
  };
  if (input.view) {
    payload.container = { type: 'view', view_id: input.view.id };
    payload.view = input.view;
    delete payload.channel;
    delete payload.response_url;
    delete payload.message;
  } else if (input.message) {
    payload.container = {
      type: 'message',
      message_ts: input.message.ts,
      channel_id: input.channelId,
      is_ephemeral: input.message.ephemeral,
    };
  }
  return interactivityBody(payload);
}

/** A view_submission (or, with `closed`, a view_closed) payload, with the view's state as Slack reports it. */
export function viewRequest(input: {
  type: 'view_submission' | 'view_closed';
  team: Team;
  user: { id: string; name: string };
  triggerId: string;
  view: Record<string, unknown>;
  values: Record<string, Record<string, unknown>>;
}): string {
  const view = {
    team_id: input.team.id,
    type: 'modal',
    private_metadata: '',
    callback_id: '',
    hash: `${Date.now()}.sim`,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: input.view.id,
    previous_view_id: null,
    app_id: 'A0SIMULATE',
    external_id: '',
    app_installed_team_id: input.team.id,
    bot_id: 'B0SIMULATE',
    ...input.view,
    state: { values: input.values },
  };
  return interactivityBody({
    type: input.type,
    team: input.team,
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: input.team.id },
    api_app_id: 'A0SIMULATE',
    token: 'simulator-verification-token',
    trigger_id: input.triggerId,
    view,
    ...(input.type === 'view_submission' ? { response_urls: [] } : { is_cleared: false }),
    is_enterprise_install: false,
    enterprise: null,
  });
}
