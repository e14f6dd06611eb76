import { slackUserObject, type FakePerson } from './people.js';

/**
 * The Web API methods the local Slack plays, as pure functions of its state and the call's arguments.
 * Answers follow Slack's shapes: HTTP 200 with `{ ok: true, … }` or `{ ok: false, error }`.
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
};

export type ApiAnswer = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };
type Method = (state: SlackState, args: Record<string, unknown>) => ApiAnswer;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const flag = (value: unknown): boolean => value === true || value === 'true' || value === '1';

function messageTs(state: SlackState): string {
  return `${Math.floor(state.nowMs() / 1000)}.${String(state.nextSerial()).padStart(6, '0')}`;
}

function hasContent(args: Record<string, unknown>): boolean {
  return text(args.text) !== undefined || (Array.isArray(args.blocks) && args.blocks.length > 0);
}

export const apiMethods: Record<string, Method> = {
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

  'chat.postMessage': (state, args) => {
    const channel = text(args.channel);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!hasContent(args)) return { ok: false, error: 'no_text' };
    const ts = messageTs(state);
    return {
      ok: true,
      channel,
      ts,
      message: { type: 'message', user: state.botUserId, bot_id: 'B0SIMULATE', ts, text: args.text, blocks: args.blocks },
    };
  },

  'chat.postEphemeral': (state, args) => {
    if (!text(args.channel)) return { ok: false, error: 'channel_not_found' };
    if (!text(args.user)) return { ok: false, error: 'user_not_found' };
    if (!hasContent(args)) return { ok: false, error: 'no_text' };
    return { ok: true, message_ts: messageTs(state) };
  },

  'views.open': (state, args) => {
    if (!text(args.trigger_id)) return { ok: false, error: 'invalid_trigger_id' };
    if (typeof args.view !== 'object' || args.view === null) return { ok: false, error: 'invalid_arguments' };
    return { ok: true, view: { id: `V${String(state.nextSerial()).padStart(8, '0')}`, team_id: state.teamId, ...args.view } };
  },

  'views.update': (state, args) => {
    const id = text(args.view_id) ?? text(args.external_id);
    if (!id) return { ok: false, error: 'not_found' };
    if (typeof args.view !== 'object' || args.view === null) return { ok: false, error: 'invalid_arguments' };
    return { ok: true, view: { id, team_id: state.teamId, ...args.view } };
  },
};
