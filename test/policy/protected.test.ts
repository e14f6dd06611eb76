import { describe, expect, it } from 'vitest';
import { guardedActions, permissionFor } from '../../src/policy/permissions.js';
import { protectedDecision } from '../../src/policy/protected.js';

describe('protected accounts', () => {
  it('refuses a list naming a protected account, case-insensitively, naming each one hit', () => {
    expect(protectedDecision(['spam1', 'Support_Bot', 'spam2', 'OPS'], ['support_bot', 'ops'])).toEqual({
      allowed: false,
      refusal: { reason: 'protected_account', accids: ['Support_Bot', 'OPS'] },
    });
  });

  it('allows a list without one', () => {
    expect(protectedDecision(['spam1'], ['support_bot'])).toEqual({ allowed: true });
    expect(protectedDecision(['spam1'], [])).toEqual({ allowed: true });
  });
});

describe('which permission an action needs', () => {
  it('edits need the write permission, sanctions the moderate permission', () => {
    expect(Object.fromEntries(guardedActions.map((action) => [action, permissionFor(action)]))).toEqual({
      update_user_card: 'write',
      qchat_update_member: 'write',
      mute: 'moderate',
      unmute: 'moderate',
      block: 'moderate',
      unblock: 'moderate',
    });
  });
});
