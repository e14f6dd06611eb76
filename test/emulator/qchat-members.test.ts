import { describe, expect, test } from 'vitest';
import { call } from './call.js';
import { emulatorForTest } from './fixture.js';

const PAGE = 'qchat/getServerMemberListPage.action';
const UPDATE_OTHER = 'qchat/updateOtherServerMember.action';

describe('qchat/getServerMemberListPage.action', () => {
  test('pages current members newest joiner first, with pageInfo as NetEase documents it', async () => {
    const emulator = await emulatorForTest();
    const first = (await call(emulator, PAGE, { serverId: '1513535', timetag: '0', limit: '2' })).json() as {
      pageInfo: { hasMore: boolean; nextTimetag: number };
      serverMembers: { accid: string; serverId: number }[];
    };
    expect(first.pageInfo).toEqual({ hasMore: true, nextTimetag: 1_700_010_800_000 });
    // bob left the server (validFlag 0): not listed.
    expect(first.serverMembers.map((m) => m.accid)).toEqual(['zhaolei', 'carol']);
    expect(first.serverMembers[0]?.serverId).toBe(1513535);
    const rest = (
      await call(emulator, PAGE, { serverId: '1513535', timetag: String(first.pageInfo.nextTimetag), limit: '200' })
    ).json() as typeof first;
    expect(rest.serverMembers.map((m) => m.accid)).toEqual(['alice', 'lina', 'zhangwei']);
    expect(rest.pageInfo.hasMore).toBe(false);
  });

  test('with accid, answers 404 when the account is not a member, else the same page', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, PAGE, { serverId: '1513535', timetag: '0', limit: '1', accid: 'bob' })).json()).toEqual({
      code: 404,
      desc: 'server member not exist',
    });
    const page = (await call(emulator, PAGE, { serverId: '1513535', timetag: '0', limit: '1', accid: 'alice' })).json() as {
      serverMembers: { accid: string }[];
    };
    expect(page.serverMembers.map((m) => m.accid)).toEqual(['zhaolei']);
  });

  test('checks its parameters', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, PAGE, { serverId: '1513535', timetag: '0', limit: '201' })).json()).toMatchObject({ code: 414 });
    expect((await call(emulator, PAGE, { serverId: '1513535', limit: '1' })).json()).toMatchObject({
      code: 414,
      desc: 'timetag is missing',
    });
    expect((await call(emulator, PAGE, { serverId: '42', timetag: '0', limit: '1' })).json()).toMatchObject({ code: 404 });
  });
});

describe('qchat/updateOtherServerMember.action', () => {
  test('lets the owner change another member’s nickname, and refuses a plain member (403)', async () => {
    const emulator = await emulatorForTest();
    const byOwner = await call(emulator, UPDATE_OTHER, { accid: 'zhangwei', serverId: '1513535', otherAccid: 'lina', nick: 'Nana' });
    expect(byOwner.json()).toMatchObject({ code: 200, serverMember: { accid: 'lina', nick: 'Nana' } });
    const byMember = await call(emulator, UPDATE_OTHER, { accid: 'alice', serverId: '1513535', otherAccid: 'lina', nick: 'Hijack' });
    expect(byMember.json()).toEqual({ code: 403, desc: 'no permission' });
    expect(emulator.getServerMember('1513535', 'lina')?.nick).toBe('Nana');
    const gone = await call(emulator, UPDATE_OTHER, { accid: 'zhangwei', serverId: '1513535', otherAccid: 'bob', nick: 'x' });
    expect(gone.json()).toMatchObject({ code: 404 });
  });
});
