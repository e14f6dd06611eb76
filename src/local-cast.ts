import type { Config } from './config.js';
import { grantFor } from './policy/permissions.js';
import { personFromSlackUser } from './policy/directory.js';
import { readDecision } from './policy/read-decision.js';
import type { Refusal } from './policy/types.js';
import { grantDecision } from './policy/write-decision.js';
import { demoPeople, slackUserObject, type FakePerson } from './simulator/people.js';

/**
 * The demo people local mode plays, and what each may do. What they may do is decided by the app's own rules on the
 * settings in force (IM_READ_MIN_ROLE, IM_WRITE_*, IM_MODERATE_*), so the banner and the page never promise what the
 * app would refuse.
 */

/** The writer user group local mode creates, and the person in it. */
export const LOCAL_WRITER_GROUP = 'S0WRITERS';
export const localUsergroupHandles: Readonly<Record<string, string>> = { [LOCAL_WRITER_GROUP]: 'im-writers' };

const writer: FakePerson = { id: 'U0WRITER', name: 'Wen Writer', role: 'member' };

/** The demo people in the order the page lists them: the ones who may edit first, then readers, then the refused. */
export const localPeople: readonly FakePerson[] = [
  'U0PRIMARY',
  'U0OWNER',
  'U0ADMIN',
  'U0WRITER',
  'U0MEMBER',
  'U0ZHMEMBER',
  'U0GUEST',
  'U0SCGUEST',
  'U0GONE',
  'U0BOT',
]
  .map((id) => (id === writer.id ? writer : demoPeople.find((person) => person.id === id)))
  .filter((person): person is FakePerson => person !== undefined);

/** The user groups local Slack has, with their members: the writer is in every writer group the settings name. */
export function localUsergroups(access: Config['access']): Record<string, string[]> {
  return Object.fromEntries(access.writeUsergroups.map((group) => [group, [writer.id]]));
}

/** Why someone may not even look up cards, in a few words. */
const refusedBecause: Partial<Record<Refusal['reason'], string>> = {
  guest: 'a guest',
  single_channel_guest: 'a single-channel guest',
  deactivated: 'deactivated',
  bot: 'a bot',
  below_read_role: 'below IM_READ_MIN_ROLE',
};

/** One line per demo person: what they may do under these settings (`may look up, edit cards and moderate`). */
export function personNotes(access: Config['access']): Record<string, string> {
  const usergroups = Object.entries(localUsergroups(access));
  const notes: Record<string, string> = {};
  for (const fake of localPeople) {
    const person = personFromSlackUser(slackUserObject(fake, 'T0SIMULATE', true));
    const read = readDecision(person, access.readMinRole);
    const groups = usergroups.filter(([, members]) => members.includes(fake.id)).map(([group]) => group);
    const extras = [
      ...(fake.locale === 'zh-CN' ? ['Slack in 中文 (zh-CN)'] : []),
      ...groups.map((group) => `in user group ${localUsergroupHandles[group] ? `@${localUsergroupHandles[group]} (${group})` : group}`),
    ];
    if (!read.allowed) {
      const why = refusedBecause[read.refusal.reason];
      notes[fake.id] = [...extras, `refused, even for looking up${why ? ` (${why})` : ''}`].join(': ');
      continue;
    }
    const may = (['write', 'moderate'] as const).filter(
      (permission) => grantDecision(person, groups, grantFor(access, permission), 'not_a_writer').allowed,
    );
    const doing = may.map((permission) => (permission === 'write' ? 'edit cards' : 'moderate (mute, block)'));
    const line = doing.length === 0 ? 'may look up, may not edit or moderate' : `may look up, ${doing.join(' and ')}`;
    notes[fake.id] = [...extras, line].join(': ');
  }
  return notes;
}
