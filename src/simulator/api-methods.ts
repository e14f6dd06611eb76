import { chatMethods } from './chat-methods.js';
import { historyMethods } from './history-methods.js';
import { flag, text, type FunctionExecution, type HomeView, type Method, type SlackState } from './api-state.js';
import { slackUserObject } from './people.js';

/**
 * The Web API methods the local Slack plays, as pure functions of its state and the call's arguments.
 * Answers follow Slack's shapes: HTTP 200 with `{ ok: true, … }` or `{ ok: false, error }`.
 */

/** Slack refuses a view of more than 100 blocks. */
const MAX_VIEW_BLOCKS = 100;

export const apiMethods: Record<string, Method> = {
  ...chatMethods,
  ...historyMethods,

  'auth.test': (state) => ({
    ok: true,
    url: 'https://simulator.slack.localhost/',
    team: 'Simulator',
    user: 'im-admin',
    team_id: state.teamId,
    user_id: state.botUserId,
    bot_id: 'B0SIMULATE',
    is_enterprise_install: false,
  }),

  'users.info': (state, args) => {
    const id = text(args.user);
    if (!id) return { ok: false, error: 'invalid_arguments' };
    const person = state.people.get(id);
    if (!person) return { ok: false, error: 'user_not_found' };
    return { ok: true, user: slackUserObject(person, state.teamId, flag(args.include_locale)) };
  },

  'usergroups.users.list': (state, args) => {
    const id = text(args.usergroup);
    if (!id) return { ok: false, error: 'invalid_arguments' };
    const members = state.usergroups.get(id);
    return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
  },

  // Scope usergroups:read. Only the fields the app reads, plus what makes the shape recognisable.
  'usergroups.list': (state, args) => ({
    ok: true,
    usergroups: [...state.usergroups.entries()].map(([id, members]) => {
      const handle = state.usergroupHandles.get(id) ?? id.toLowerCase();
      return {
        id,
        team_id: state.teamId,
        is_usergroup: true,
        name: handle,
        handle,
        ...(flag(args.include_count) ? { user_count: members.length } : {}),
        ...(flag(args.include_users) ? { users: [...members] } : {}),
      };
    }),
  }),

  'views.open': (state, args) => {
    if (!text(args.trigger_id)) return { ok: false, error: 'invalid_trigger_id' };
    if (typeof args.view !== 'object' || args.view === null) return { ok: false, error: 'invalid_arguments' };
    return { ok: true, view: { id: `V${String(state.nextSerial()).padStart(8, '0')}`, team_id: state.teamId, ...args.view } };
  },

  'views.publish': (state, args) => {
    const user = text(args.user_id);
    if (!user) return { ok: false, error: 'invalid_arguments' };
    if (!state.people.has(user)) return { ok: false, error: 'user_not_found' };
    const view = args.view;
    if (typeof view !== 'object' || view === null || (view as { type?: unknown }).type !== 'home') {
      return {
        ok: false,
        error: 'invalid_arguments',
        response_metadata: { messages: ['[ERROR] must be a home view [json-pointer:/view/type]'] },
      };
    }
    const blocks = (view as { blocks?: unknown }).blocks;
    if (Array.isArray(blocks) && blocks.length > MAX_VIEW_BLOCKS) {
      return {
        ok: false,
        error: 'invalid_arguments',
        response_metadata: { messages: [`[ERROR] no more than ${MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]`] },
      };
    }
    const current = state.homeViews.get(user);
    // `hash` is the optimistic lock: publishing over a view that changed since it was read is refused.
    if (text(args.hash) && current && args.hash !== current.hash) return { ok: false, error: 'hash_conflict' };
    const published: HomeView = {
      id: current?.id ?? `V${String(state.nextSerial()).padStart(8, '0')}`,
      hash: `${Math.floor(state.nowMs() / 1000)}.${String(state.nextSerial()).padStart(8, '0')}`,
      view: view as Record<string, unknown>,
    };
    state.homeViews.set(user, published);
    return { ok: true, view: { ...published.view, id: published.id, hash: published.hash, team_id: state.teamId } };
  },

  'functions.completeSuccess': (state, args) => {
    const execution = runningExecution(state, args);
    if ('refused' in execution) return { ok: false, error: execution.refused };
    const outputs = args.outputs;
    if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) return { ok: false, error: 'invalid_arguments' };
    execution.status = 'completed';
    execution.outputs = outputs as Record<string, unknown>;
    return { ok: true };
  },

  'functions.completeError': (state, args) => {
    const execution = runningExecution(state, args);
    if ('refused' in execution) return { ok: false, error: execution.refused };
    const error = text(args.error);
    if (!error) return { ok: false, error: 'invalid_arguments' };
    execution.status = 'failed';
    execution.error = error;
    return { ok: true };
  },

  'views.update': (state, args) => {
    const id = text(args.view_id) ?? text(args.external_id);
    if (!id) return { ok: false, error: 'not_found' };
    if (typeof args.view !== 'object' || args.view === null) return { ok: false, error: 'invalid_arguments' };
    return { ok: true, view: { id, team_id: state.teamId, ...args.view } };
  },
};

/** The step a completeSuccess/completeError call ends: it must exist and still be running (it ends once). */
function runningExecution(state: SlackState, args: Record<string, unknown>): FunctionExecution | { refused: string } {
  const id = text(args.function_execution_id);
  if (!id) return { refused: 'invalid_arguments' };
  const execution = state.functionExecutions.get(id);
  if (!execution || execution.status !== 'running') return { refused: 'function_execution_not_found' };
  return execution;
}
