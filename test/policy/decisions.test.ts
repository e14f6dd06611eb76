import { describe, expect, it } from 'vitest';
import { readDecision } from '../../src/policy/read-decision.js';
import type { SlackPerson } from '../../src/policy/types.js';
import { writeDecision, type WriteAccess } from '../../src/policy/write-decision.js';

const member: SlackPerson = {
  id: 'U1',
  isAdmin: false,
  isOwner: false,
  isPrimaryOwner: false,
  isRestricted: false,
  isUltraRestricted: false,
  deleted: false,
  isBot: false,
};
const admin = { ...member, isAdmin: true };
const owner = { ...member, isAdmin: true, isOwner: true };
const primaryOwner = { ...owner, isPrimaryOwner: true };
const guest = { ...member, isRestricted: true };
const singleChannelGuest = { ...member, isRestricted: true, isUltraRestricted: true };

const access: WriteAccess = { writeMinRole: 'admin', writeUsergroups: [], writeUsers: [] };

describe('who may read cards', () => {
  it('lets any full member read by default', () => {
    expect(readDecision(member, 'member')).toEqual({ allowed: true });
  });

  it.each([
    ['a guest', guest, 'guest'],
    ['a single-channel guest', singleChannelGuest, 'single_channel_guest'],
    ['a bot', { ...member, isBot: true }, 'bot'],
    ['a deactivated person, even a former admin', { ...admin, deleted: true }, 'deactivated'],
  ] as const)('refuses %s and says why', (_, person, reason) => {
    expect(readDecision(person, 'member')).toEqual({ allowed: false, refusal: { reason } });
  });

  it('raises the bar with IM_READ_MIN_ROLE', () => {
    expect(readDecision(member, 'admin')).toEqual({ allowed: false, refusal: { reason: 'below_read_role', required: 'admin' } });
    expect(readDecision(admin, 'admin')).toEqual({ allowed: true });
    expect(readDecision(admin, 'owner')).toMatchObject({ allowed: false });
    expect(readDecision(owner, 'owner')).toEqual({ allowed: true });
    expect(readDecision(primaryOwner, 'owner')).toEqual({ allowed: true });
  });

  it('counts an owner as an owner even if Slack forgot the admin flag', () => {
    expect(readDecision({ ...member, isOwner: true }, 'admin')).toEqual({ allowed: true });
  });
});

describe('who may change cards', () => {
  it('lets admins and owners change cards by default, not members', () => {
    expect(writeDecision(admin, [], access)).toEqual({ allowed: true });
    expect(writeDecision(owner, [], access)).toEqual({ allowed: true });
    expect(writeDecision(member, [], access)).toEqual({
      allowed: false,
      refusal: { reason: 'not_a_writer', required: 'admin', usergroups: [] },
    });
  });

  it('narrows to owners or the primary owner', () => {
    expect(writeDecision(admin, [], { ...access, writeMinRole: 'owner' })).toMatchObject({ allowed: false });
    expect(writeDecision(owner, [], { ...access, writeMinRole: 'owner' })).toEqual({ allowed: true });
    expect(writeDecision(owner, [], { ...access, writeMinRole: 'primary_owner' })).toMatchObject({ allowed: false });
    expect(writeDecision(primaryOwner, [], { ...access, writeMinRole: 'primary_owner' })).toEqual({ allowed: true });
  });

  it('grants members of a configured user group, and people listed by id', () => {
    const groups = { ...access, writeUsergroups: ['S1'] };
    expect(writeDecision(member, ['S1'], groups)).toEqual({ allowed: true });
    expect(writeDecision(member, ['S2'], groups)).toMatchObject({ allowed: false });
    expect(writeDecision(member, [], { ...access, writeUsers: ['U1'] })).toEqual({ allowed: true });
  });

  it('fails closed when group membership is unknown', () => {
    expect(writeDecision(member, 'unknown', { ...access, writeUsergroups: ['S1'] })).toMatchObject({ allowed: false });
  });

  it('never lets guests, bots or deactivated people write, even when listed', () => {
    const listed = { ...access, writeUsers: ['U1'], writeUsergroups: ['S1'] };
    expect(writeDecision(guest, ['S1'], listed)).toEqual({ allowed: false, refusal: { reason: 'guest' } });
    expect(writeDecision({ ...owner, deleted: true }, [], listed)).toEqual({ allowed: false, refusal: { reason: 'deactivated' } });
    expect(writeDecision({ ...member, isBot: true }, [], listed)).toEqual({ allowed: false, refusal: { reason: 'bot' } });
  });
});
