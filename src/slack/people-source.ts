import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { PeopleSource } from '../policy/directory.js';

const usergroupsAnswer = z.array(z.object({ id: z.string(), handle: z.string() }));

/** The directory's Slack calls, made with the bot's WebClient (scopes users:read, usergroups:read). */
export function webClientPeopleSource(client: webApi.WebClient): PeopleSource {
  return {
    async userInfo(userId) {
      const answer = await client.users.info({ user: userId, include_locale: true });
      return answer.user;
    },
    async usergroupMembers(groupId) {
      const answer = await client.usergroups.users.list({ usergroup: groupId });
      return answer.users ?? [];
    },
    async usergroups() {
      const answer = await client.usergroups.list({});
      return usergroupsAnswer.parse(answer.usergroups ?? []);
    },
  };
}
