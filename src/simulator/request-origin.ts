import { randomBytes } from 'node:crypto';
import type { AppReply, Team } from './app-link.js';
import { usernameOf } from './command-mentions.js';
import { failedWith } from './slack-notices.js';
import type { SlackApi } from './slack-api.js';
import { SLACKBOT, type Workspace } from './workspace.js';

/**
 * What Slack puts in every request it sends the app about what a person did: the team, the person as Slack names
 * them, and a fresh trigger_id and response_url, each registered in the workspace with where it came from so that the
 * app's later views.open or response_url post lands in the right place.
 */
export type RequestOrigin = {
  team: Team;
  userOf: (id: string) => { id: string; name: string };
  newTrigger: (user: string, channel: string, messageId?: string) => string;
  newResponseUrl: (user: string, channel: string, messageId?: string) => string;
  /** Slack's own words when an app fails to answer a command or a click. */
  failed: (user: string, channel: string, what: string, reply: AppReply) => void;
};

export function requestOrigin(workspace: Workspace, slackApi: SlackApi, team: Team): RequestOrigin {
  return {
    team,
    userOf: (id) => {
      const person = workspace.person(id);
      return { id, name: person ? usernameOf(person.name) : id };
    },
    newTrigger: (user, channel, messageId) => {
      const triggerId = `${Date.now()}.${randomBytes(6).toString('hex')}`;
      workspace.registerTrigger(triggerId, { user, channel, ...(messageId ? { messageId } : {}) });
      return triggerId;
    },
    newResponseUrl: (user, channel, messageId) => {
      const id = randomBytes(10).toString('hex');
      workspace.registerResponseUrl(id, { user, channel, ...(messageId ? { messageId } : {}) });
      return slackApi.responseUrl(id);
    },
    failed: (user, channel, what, reply) => {
      workspace.post({ channel, author: SLACKBOT, visibleTo: user, kind: 'error', via: 'simulator', text: failedWith(what, reply.status) });
    },
  };
}
