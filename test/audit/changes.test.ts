import type { MemberRead } from '../../src/nim/qchat-members.js';
import { describe, expect, it, vi } from 'vitest';
import { cardChanges, serverMemberChanges } from '../../src/audit/changes.js';
import { readBackVerifier } from '../../src/audit/verify.js';
import type { UserLookup } from '../../src/nim/types.js';
import { sampleIntent } from './helpers.js';

describe('cardChanges', () => {
  it('records each field the update sets, with the value before when the card had one', () => {
    const before = { accid: 'alice', name: 'Alice', email: 'a@example.com', gender: 1 };
    expect(cardChanges(before, { name: 'Alicia', mobile: '+86-13800138000', gender: 2, sign: '' })).toEqual({
      name: { before: 'Alice', after: 'Alicia' },
      sign: { after: '' },
      mobile: { after: '+86-13800138000' },
      gender: { before: 1, after: 2 },
    });
    expect(cardChanges(undefined, { email: '' })).toEqual({ email: { after: '' } });
  });

  it('does the same for a QChat member card', () => {
    expect(serverMemberChanges({ serverId: '1', accid: 'bob', nick: 'Bob' }, { accid: 'bob', serverId: '1', nick: 'Bobby' })).toEqual({
      nick: { before: 'Bob', after: 'Bobby' },
    });
  });
});

describe('readBackVerifier', () => {
  const reader = (lookup: UserLookup, member: MemberRead = { kind: 'not_member' }) => ({
    getUinfos: vi.fn(async () => lookup),
    getServerMember: vi.fn(async () => member),
  });
  const intent = sampleIntent({ changes: { name: { before: 'Alice', after: 'Alicia' }, sign: { before: 'hi', after: '' } } });

  it('says in place when the card read back holds every new value (a cleared field may be absent)', async () => {
    const nim = reader({ found: [{ accid: 'alice', name: 'Alicia' }], notFound: [] });
    expect(await readBackVerifier(nim)(intent)).toBe('in_place');
    expect(nim.getUinfos).toHaveBeenCalledWith(['alice'], { correlationId: 'corr-1' });
  });

  it('says not in place when a value differs', async () => {
    expect(await readBackVerifier(reader({ found: [{ accid: 'alice', name: 'Alice', sign: 'hi' }], notFound: [] }))(intent)).toBe(
      'not_in_place',
    );
  });

  it('says unknown when the card is gone', async () => {
    expect(await readBackVerifier(reader({ found: [], notFound: ['alice'] }))(intent)).toBe('unknown');
  });

  it('reads a QChat member card back by server and accid: in place, not in place, or unknown when not a member', async () => {
    const qchat = {
      ...intent,
      action: 'qchat_update_member' as const,
      target: { accid: 'alice', serverId: '1513535' },
      changes: { nick: { before: 'A', after: 'Al' } },
    };
    const member = (nick: string): MemberRead => ({ kind: 'member', member: { serverId: '1513535', accid: 'alice', nick } });
    const inPlace = reader({ found: [], notFound: [] }, member('Al'));
    expect(await readBackVerifier(inPlace)(qchat)).toBe('in_place');
    expect(inPlace.getServerMember).toHaveBeenCalledWith({ serverId: '1513535', accid: 'alice' }, { correlationId: 'corr-1' });
    expect(inPlace.getUinfos).not.toHaveBeenCalled();
    expect(await readBackVerifier(reader({ found: [], notFound: [] }, member('A')))(qchat)).toBe('not_in_place');
    expect(await readBackVerifier(reader({ found: [], notFound: [] }))(qchat)).toBe('unknown');
  });
});
