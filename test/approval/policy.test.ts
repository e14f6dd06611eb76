import { describe, expect, it } from 'vitest';
import { changeActions, needsApproval, parseApprovalFor, type ApprovalPolicy } from '../../src/approval/policy.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { guardedActions } from '../../src/policy/permissions.js';

function policy(text: string): ApprovalPolicy {
  const parsed = parseApprovalFor(text);
  if (!('policy' in parsed)) throw new Error(parsed.problems.join('; '));
  return parsed.policy;
}

describe('IM_APPROVAL_FOR', () => {
  it('names the guarded actions as the policy does', () => {
    expect([...changeActions]).toEqual([...guardedActions]);
  });

  it('block,unblock,bulk>20,rollback: those need a second person, a mute of 20 accounts does not, of 21 does', () => {
    const p = policy(' Block, unblock ,bulk>20, rollback');
    expect(needsApproval(p, { kind: 'change', action: 'block', accounts: 1 })).toBe(true);
    expect(needsApproval(p, { kind: 'change', action: 'mute', accounts: 20 })).toBe(false);
    expect(needsApproval(p, { kind: 'change', action: 'mute', accounts: 21 })).toBe(true);
    expect(needsApproval(p, { kind: 'rollback' })).toBe(true);
    // Undoing an unblock blocks: it needs what a block needs.
    expect(needsApproval(p, { kind: 'undo', action: 'block' })).toBe(true);
    expect(needsApproval(p, { kind: 'undo', action: 'update_user_card' })).toBe(false);
  });

  it('a rollback needs approval when any of its undos would: undoing an unmute mutes, under IM_APPROVAL_FOR=mute', () => {
    const p = policy('mute');
    expect(needsApproval(p, { kind: 'rollback', undoes: ['update_user_card', 'unmute'] })).toBe(false);
    expect(needsApproval(p, { kind: 'rollback', undoes: ['update_user_card', 'mute'] })).toBe(true);
    expect(needsApproval(policy('undo'), { kind: 'rollback', undoes: ['update_user_card'] })).toBe(true);
    expect(needsApproval(policy('undo'), { kind: 'rollback', undoes: [] })).toBe(false);
  });

  it('unset: nothing needs approval', () => {
    const config = loadConfig({});
    expect(config.approval).toEqual({ policy: { actions: [] }, minutes: 30 });
    expect(needsApproval(config.approval.policy, { kind: 'rollback' })).toBe(false);
  });

  it('a word it does not know is named with the accepted ones, with every other problem at once', () => {
    let problems: string[] = [];
    try {
      loadConfig({ IM_APPROVAL_FOR: 'block,ban,bulk>0', IM_APPROVAL_MINUTES: '0' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^IM_APPROVAL_FOR "ban" is not one of update_user_card, .*rollback, bulk>N/),
      expect.stringMatching(/^IM_APPROVAL_FOR "bulk>0": bulk>N needs N of at least 1/),
      expect.stringMatching(/^IM_APPROVAL_MINUTES must be a whole number from 1 to 10080/),
    ]);
  });

  it('IM_APPROVAL_CHANNEL and IM_APPROVAL_MINUTES', () => {
    expect(loadConfig({ IM_APPROVAL_MINUTES: '5', IM_APPROVAL_CHANNEL: 'C0APPROVE' }).approval).toEqual({
      policy: { actions: [] },
      minutes: 5,
      channel: 'C0APPROVE',
    });
  });

  it('every action it names starts: each flow asks for approval (undo and rollback included)', () => {
    const policy = loadConfig({ IM_APPROVAL_FOR: 'block,rollback,update_user_card,undo', AUDIT_CHANNEL: 'C0AUDIT' }).approval.policy;
    expect(policy).toEqual({ actions: ['block', 'rollback', 'update_user_card', 'undo'] });
  });

  it('moderation actions, card edits, QChat member cards and bulk>N start, with a channel to post requests in', () => {
    const env = { IM_APPROVAL_FOR: 'block,unblock,mute,unmute,update_user_card,qchat_update_member,bulk>20' };
    expect(loadConfig({ ...env, AUDIT_CHANNEL: 'C0AUDIT' }).approval.policy).toEqual({
      actions: ['block', 'unblock', 'mute', 'unmute', 'update_user_card', 'qchat_update_member'],
      bulkOver: 20,
    });
    expect(() => loadConfig(env)).toThrow(/IM_APPROVAL_FOR needs IM_APPROVAL_CHANNEL or AUDIT_CHANNEL/);
  });
});
