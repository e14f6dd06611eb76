import type { AuditAction } from '../../../src/audit/index.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import type { UpdateHarness } from './update-harness.js';

/**
 * Every form or confirmation that ends in a NetEase write, for test/slack/app/submit-recheck.test.ts: the write
 * permission must be asked of Slack again when it is submitted, not trusted from when it opened. A new form is one
 * more entry in `guardedForms`; the shared test then proves its re-check (role lost, users.info failing) on its own.
 */
export type GuardedForm = {
  /** Names the form in the test titles. */
  name: string;
  /** The audit action its refusal is recorded under. */
  action: AuditAction;
  /** NetEase endpoints the submission would write to; none may be called after a refusal. */
  writes: string[];
  /** Opens the form as `user` (who may write at that moment) and returns how to submit it, as that user. */
  open(h: UpdateHarness, user: string): Promise<{ submit(): Promise<unknown> }>;
  /** The message that tells the person the outcome of the submission. @default the next chat.postEphemeral */
  answer?(h: UpdateHarness): Promise<ApiCall>;
};

export const guardedForms: GuardedForm[] = [
  {
    name: 'the /im-user edit card modal',
    action: 'update_user_card',
    writes: ['user/updateUinfo.action'],
    async open(h, user) {
      await h.command('/im-user', 'edit alice', user);
      const view = await h.filledView('edit_card');
      return { submit: () => h.submit(view, user, { name: 'Too Late' }) };
    },
  },
  {
    name: 'the /qchat-nick modal',
    action: 'qchat_update_member',
    writes: ['qchat/updateServerMember.action'],
    async open(h, user) {
      await h.command('/qchat-nick', '1513535 alice', user);
      const view = await h.filledView('qchat_nick');
      return { submit: () => h.submit(view, user, { nick: 'Too Late' }) };
    },
  },
];
