import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultAccess } from '../../src/config.js';
import { authorize } from '../../src/policy/authorize.js';
import { Directory, DirectoryError, type PeopleSource } from '../../src/policy/directory.js';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';
import { webClientPeopleSource } from '../../src/slack/people-source.js';
import { webApi } from '@slack/bolt';

describe('the cached Slack directory', () => {
  let slack: SlackApi;
  let source: PeopleSource;
  let clock: number;
  let directory: Directory;

  beforeEach(async () => {
    slack = await startSlackApi({
      people: [
        { id: 'U1', name: 'Li', role: 'member', locale: 'zh-CN' },
        { id: 'U2', name: 'Ada', role: 'admin' },
      ],
      usergroups: { S1: ['U1'], S2: [] },
    });
    source = webClientPeopleSource(new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }));
    clock = 1_700_000_000_000;
    directory = new Directory({ source, now: () => clock });
  });
  afterEach(() => slack.close());

  it('knows roles and locale from users.info asked with include_locale', async () => {
    await expect(directory.person('U1')).resolves.toMatchObject({ id: 'U1', isAdmin: false, locale: 'zh-CN' });
    expect(slack.calls('users.info')[0]?.args).toMatchObject({ user: 'U1', include_locale: 'true' });
  });

  it('asks Slack once a minute at most, and sees a role change after it', async () => {
    await Promise.all([directory.person('U1'), directory.person('U1'), directory.person('U1')]);
    clock += 59_000;
    await directory.person('U1');
    expect(slack.calls('users.info')).toHaveLength(1);
    slack.putPerson({ id: 'U1', name: 'Li', role: 'admin' });
    clock += 1_000;
    await expect(directory.person('U1')).resolves.toMatchObject({ isAdmin: true });
    expect(slack.calls('users.info')).toHaveLength(2);
  });

  it('asks Slack again for a fresh check, so a role removed a second ago counts, and the cache learns it', async () => {
    await expect(directory.person('U2')).resolves.toMatchObject({ isAdmin: true });
    slack.putPerson({ id: 'U2', name: 'Ada', role: 'member' });
    clock += 1_000;
    await expect(directory.person('U2')).resolves.toMatchObject({ isAdmin: true });
    await expect(authorize(directory, 'U2', 'moderate', defaultAccess, { fresh: true })).resolves.toMatchObject({
      decision: { allowed: false, refusal: { reason: 'not_a_moderator' } },
    });
    expect(slack.calls('users.info')).toHaveLength(2);
    // The fresh answer replaced the cached one: renderings now see the member too, without another call.
    await expect(directory.person('U2')).resolves.toMatchObject({ isAdmin: false });
    expect(slack.calls('users.info')).toHaveLength(2);
  });

  it('lists a user group again for a fresh check: someone taken out of it a second ago is refused', async () => {
    const access = { ...defaultAccess, moderateUsergroups: ['S1'] };
    await expect(authorize(directory, 'U1', 'moderate', access)).resolves.toMatchObject({ decision: { allowed: true } });
    slack.setUsergroup('S1', []);
    clock += 1_000;
    await expect(authorize(directory, 'U1', 'moderate', access)).resolves.toMatchObject({ decision: { allowed: true } });
    await expect(authorize(directory, 'U1', 'moderate', access, { fresh: true })).resolves.toMatchObject({
      decision: { allowed: false, refusal: { reason: 'not_a_moderator' } },
    });
  });

  it('never keeps an answer longer than a minute, whatever it is told', async () => {
    directory = new Directory({ source, now: () => clock, ttlMs: 3_600_000 });
    await directory.person('U1');
    clock += 60_000;
    await directory.person('U1');
    expect(slack.calls('users.info')).toHaveLength(2);
  });

  it('knows the user groups by handle from one usergroups.list, asked again after a minute', async () => {
    slack.setUsergroup('S1', ['U1'], 'im-writers');
    await expect(directory.usergroupHandles()).resolves.toEqual(
      new Map([
        ['S1', 'im-writers'],
        ['S2', 's2'],
      ]),
    );
    clock += 59_000;
    await directory.usergroupHandles();
    expect(slack.calls('usergroups.list')).toHaveLength(1);
    slack.setUsergroup('S1', ['U1'], 'editors');
    clock += 1_000;
    expect((await directory.usergroupHandles()).get('S1')).toBe('editors');
    slack.fail('usergroups.list', 'fatal_error', 1);
    clock += 60_000;
    await expect(directory.usergroupHandles()).rejects.toBeInstanceOf(DirectoryError);
  });

  it('does not cache a failure', async () => {
    slack.fail('users.info', 'ratelimited', 1);
    await expect(directory.person('U1')).rejects.toBeInstanceOf(DirectoryError);
    await expect(directory.person('U1')).resolves.toMatchObject({ id: 'U1' });
  });

  it('refuses to read when Slack cannot say who someone is', async () => {
    slack.fail('users.info', 'fatal_error');
    const { decision } = await authorize(directory, 'U1', 'read', defaultAccess);
    expect(decision).toEqual({ allowed: false, refusal: { reason: 'unknown_person' } });
  });

  it('grants writing through a user group, and fails closed when the group cannot be listed', async () => {
    const access = { ...defaultAccess, writeUsergroups: ['S1'] };
    await expect(authorize(directory, 'U1', 'write', access)).resolves.toMatchObject({
      decision: { allowed: true },
    });
    clock += 61_000;
    slack.fail('usergroups.users.list', 'ratelimited');
    await expect(authorize(directory, 'U1', 'write', access)).resolves.toMatchObject({
      decision: { allowed: false, refusal: { reason: 'not_a_writer' } },
    });
    // An admin does not need the group listing at all.
    await expect(authorize(directory, 'U2', 'write', access)).resolves.toMatchObject({ decision: { allowed: true } });
  });

  it('keeps moderating a permission of its own: a card editor is not a moderator, a moderator group member is', async () => {
    const access = { ...defaultAccess, writeUsers: ['U1'], moderateUsergroups: ['S9'] };
    await expect(authorize(directory, 'U1', 'write', access)).resolves.toMatchObject({ decision: { allowed: true } });
    await expect(authorize(directory, 'U1', 'moderate', access)).resolves.toMatchObject({
      decision: { allowed: false, refusal: { reason: 'not_a_moderator', required: 'admin', usergroups: ['S9'] } },
    });
    await expect(authorize(directory, 'U1', 'moderate', { ...access, moderateUsers: ['U1'] })).resolves.toMatchObject({
      decision: { allowed: true },
    });
    await expect(authorize(directory, 'U2', 'moderate', { ...access, moderateMinRole: 'owner' })).resolves.toMatchObject({
      decision: { allowed: false, refusal: { reason: 'not_a_moderator', required: 'owner' } },
    });
  });

  describe('people of another workspace or org', () => {
    const installed = { teamId: 'T0SIMULATE', enterpriseId: 'E0ORG' };
    const withInstallation = () => new Directory({ source, now: () => clock, installation: async () => installed });

    it('marks an admin of another workspace as of another team, and refuses both reading and writing', async () => {
      slack.putPerson({ id: 'U9', name: 'Other Admin', role: 'admin', teamId: 'T0OTHER' });
      directory = withInstallation();
      await expect(directory.person('U9')).resolves.toMatchObject({ isAdmin: true, otherTeam: true });
      const access = { ...defaultAccess, writeUsers: ['U9'] };
      expect((await authorize(directory, 'U9', 'write', access)).decision).toEqual({ allowed: false, refusal: { reason: 'other_team' } });
      expect((await authorize(directory, 'U9', 'read', access)).decision).toEqual({ allowed: false, refusal: { reason: 'other_team' } });
    });

    it('accepts the installed team, and another workspace of the same org', async () => {
      slack.putPerson({ id: 'U8', name: 'Org Admin', role: 'admin', teamId: 'T0SISTER', enterpriseId: 'E0ORG' });
      directory = withInstallation();
      await expect(directory.person('U2')).resolves.not.toHaveProperty('otherTeam');
      await expect(directory.person('U8')).resolves.not.toHaveProperty('otherTeam');
    });

    it('fails closed when the installation cannot be established', async () => {
      directory = new Directory({ source, now: () => clock, installation: () => Promise.reject(new Error('auth.test failed')) });
      await expect(directory.person('U2')).rejects.toBeInstanceOf(DirectoryError);
    });
  });
});
