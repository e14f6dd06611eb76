/**
 * Fake Slack people for the local Slack Web API: what `users.info` answers about them.
 * The shapes follow Slack's `users.info` response (only the fields this app reads, plus names for display).
 */

export type FakeRole = 'member' | 'admin' | 'owner' | 'primary_owner' | 'guest' | 'single_channel_guest' | 'bot' | 'deactivated';

export type FakePerson = {
  id: string;
  name: string;
  role: FakeRole;
  /** Slack locale, e.g. 'en-US', 'zh-CN'. @default 'en-US' */
  locale?: string;
  /** Someone of another workspace (a shared channel): their own team id. @default the simulated workspace's */
  teamId?: string;
  /** Their Enterprise Grid org, if any. */
  enterpriseId?: string;
};

/** A Slack `user` object as users.info returns it. */
export type SlackUserObject = {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  tz: string;
  locale?: string;
  enterprise_user?: { enterprise_id: string };
  profile: { real_name: string; display_name: string };
};

export function slackUserObject(person: FakePerson, teamId: string, includeLocale: boolean): SlackUserObject {
  const { role } = person;
  const owner = role === 'owner' || role === 'primary_owner';
  return {
    id: person.id,
    team_id: person.teamId ?? teamId,
    ...(person.enterpriseId ? { enterprise_user: { enterprise_id: person.enterpriseId } } : {}),
    name: person.name.toLowerCase().replace(/\s+/g, '.'),
    real_name: person.name,
    deleted: role === 'deactivated',
    is_admin: role === 'admin' || owner,
    is_owner: owner,
    is_primary_owner: role === 'primary_owner',
    is_restricted: role === 'guest' || role === 'single_channel_guest',
    is_ultra_restricted: role === 'single_channel_guest',
    is_bot: role === 'bot',
    is_app_user: false,
    tz: 'Asia/Shanghai',
    ...(includeLocale ? { locale: person.locale ?? 'en-US' } : {}),
    profile: { real_name: person.name, display_name: person.name },
  };
}

/** The people local mode starts with: one of each kind, so every refusal can be tried from the browser. */
export const demoPeople: readonly FakePerson[] = [
  { id: 'U0PRIMARY', name: 'Pat Primary', role: 'primary_owner' },
  { id: 'U0OWNER', name: 'Olu Owner', role: 'owner' },
  { id: 'U0ADMIN', name: 'Ada Admin', role: 'admin' },
  { id: 'U0MEMBER', name: 'Max Member', role: 'member' },
  { id: 'U0ZHMEMBER', name: '李 明', role: 'member', locale: 'zh-CN' },
  { id: 'U0GUEST', name: 'Gus Guest', role: 'guest' },
  { id: 'U0SCGUEST', name: 'Sol Single-channel', role: 'single_channel_guest' },
  { id: 'U0BOT', name: 'Some Bot', role: 'bot' },
  { id: 'U0GONE', name: 'Dee Deactivated', role: 'deactivated' },
];
