import type { AuditAction } from '../../../src/audit/index.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import type { ModalView, UpdateHarness } from './update-harness.js';

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
  /** The permission it needs, as the refusal names it. @default editing: not_a_writer, "Editing needs the Slack role …" */
  lacking?: { reason: 'not_a_writer' | 'not_a_moderator'; text: RegExp };
};

const moderating = { reason: 'not_a_moderator' as const, text: /Muting and blocking needs the Slack role \*workspace admin\*/ };

/** A moderation confirmation answers in its modal: the last views.update, refused or done, as a message. */
async function modalOutcome(h: UpdateHarness): Promise<ApiCall> {
  const call = await h.slack.waitForCall(
    'views.update',
    (c) => /Not permitted|Done/.test(JSON.stringify((c.args.view as { title?: unknown }).title)),
    15_000,
  );
  return { ...call, args: { text: '', blocks: (call.args.view as { blocks: unknown[] }).blocks } };
}

/** The view a form submission's ack replaced the modal with (`response_action: update`), keeping the modal's id. */
function updatedView(ack: { body: string }, id: string): ModalView {
  return { ...(JSON.parse(ack.body) as { view: ModalView }).view, id };
}

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
  {
    name: 'the /im-mute confirmation',
    action: 'mute',
    writes: ['user/mute.action'],
    lacking: moderating,
    answer: modalOutcome,
    async open(h, user) {
      await h.command('/im-mute', 'alice 1h spam links', user);
      const confirm = await h.filledView('moderation_confirm');
      return { submit: () => h.submit(confirm, user) };
    },
  },
  {
    name: 'the Block… form and its confirmation',
    action: 'block',
    writes: ['user/block.action'],
    lacking: moderating,
    answer: modalOutcome,
    async open(h, user) {
      await h.click('moderation.block', 'alice', user);
      const form = await h.filledView('moderation_form');
      const confirm = updatedView(await h.submit(form, user, { reason: 'fraud' }), form.id);
      return { submit: () => h.submit(confirm, user) };
    },
  },
  {
    name: 'the /im-user edit card conflict form (overwrite theirs)',
    action: 'update_user_card',
    writes: ['user/updateUinfo.action'],
    async open(h, user) {
      await h.command('/im-user', 'edit alice', user);
      const view = await h.filledView('edit_card');
      // Someone changes the card meanwhile: the submission comes back as the conflict form.
      h.emulator.putUser({ ...h.emulator.getUser('alice')!, name: 'Changed Meanwhile' });
      const conflict = updatedView(await h.submit(view, user, { name: 'Too Late' }), view.id);
      return { submit: () => h.submit(conflict, user, {}, { selected: { 'conflict.name': 'overwrite' } }) };
    },
  },
];
