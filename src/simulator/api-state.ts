import type { FakePerson } from './people.js';

/**
 * What the local Slack keeps between calls, and the shapes its methods share. Each method is a pure function of this
 * state and the call's arguments (api-methods.ts, chat-methods.ts).
 */

export type SlackState = {
  teamId: string;
  botUserId: string;
  people: Map<string, FakePerson>;
  usergroups: Map<string, string[]>;
  /** User group id → handle (without the @); a group without one is called by its id in lower case. */
  usergroupHandles: Map<string, string>;
  nextSerial: () => number;
  nowMs: () => number;
  /** Each person's Home tab as last published (views.publish). */
  homeViews: Map<string, HomeView>;
  /** Workflow steps run by Slack (function_executed) and how the app ended them, by function_execution_id. */
  functionExecutions: Map<string, FunctionExecution>;
  /** The channels' messages and thread replies as they stand now, by messageKey(channel, ts). */
  messages: Map<string, StoredMessage>;
  /** The bot token's scopes: a method that needs another answers missing_scope, as Slack does. */
  scopes: Set<string>;
  /** Channels the bot is not a member of: reading their history answers not_in_channel. */
  notMemberOf: Set<string>;
};

export type HomeView = { id: string; hash: string; view: Record<string, unknown> };

/**
 * One run of a Workflow Builder step. `token` is the workflow token (xwfp-…) the function_executed event carries: it
 * acts as the bot while the step runs, and is no longer accepted once the step completed or failed.
 */
export type FunctionExecution = {
  id: string;
  callbackId: string;
  token: string;
  status: 'running' | 'completed' | 'failed';
  outputs?: Record<string, unknown>;
  error?: string;
};

/** A message in a channel (a thread reply has `thread_ts`), as chat.postMessage left it and chat.update changed it. */
export type StoredMessage = {
  channel: string;
  ts: string;
  /** Who posted it: the bot user, or a person (only the poster may update it). */
  user: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** A thread reply also shown in the channel: conversations.history lists it. */
  reply_broadcast?: boolean;
  /** Slack message metadata as posted (`event_type`, `event_payload`): conversations.history gives it when asked. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set by chat.update, as Slack marks an edited message. */
  edited?: { user: string; ts: string };
};

export const messageKey = (channel: string, ts: string): string => `${channel} ${ts}`;

export type ApiAnswer = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };
export type Method = (state: SlackState, args: Record<string, unknown>) => ApiAnswer;

export const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
export const flag = (value: unknown): boolean => value === true || value === 'true' || value === '1';

export function messageTs(state: SlackState): string {
  return `${Math.floor(state.nowMs() / 1000)}.${String(state.nextSerial()).padStart(6, '0')}`;
}
