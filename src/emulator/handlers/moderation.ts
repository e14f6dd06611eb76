import { z } from 'zod';
import type { UserCard } from '../../nim/types.js';
import type { Handler, HandlerContext } from './handler.js';
import { accidField, flag, notFound, okReply, parseForm } from './form.js';

/** Every moderation call names an existing account; an unknown one is 404, as for updateUinfo (assumed). */
function account({ store }: HandlerContext, accid: string): UserCard {
  const card = store.user(accid);
  if (!card) throw notFound('accid');
  return card;
}

const muteForm = z.object({ accid: accidField, mute: flag('mute') });

/** Global mute. */
export const mute: Handler = (context) => {
  const { accid, mute: muted } = parseForm(muteForm, context.form);
  account(context, accid).mute = muted;
  return okReply();
};

const MODULES = ['muteP2P', 'muteTeam', 'muteRoom', 'muteQChat'] as const;

const muteModuleForm = z
  .object({
    accid: accidField,
    muteP2P: flag('muteP2P').optional(),
    muteTeam: flag('muteTeam').optional(),
    muteRoom: flag('muteRoom').optional(),
    muteQChat: flag('muteQChat').optional(),
  })
  .refine((form) => MODULES.some((module) => form[module] !== undefined), {
    error: `at least one of ${MODULES.join(', ')} is required`,
  });

/** Module mutes; modules not named keep their state. */
export const muteModule: Handler = (context) => {
  const changes = parseForm(muteModuleForm, context.form);
  const card = account(context, changes.accid);
  for (const module of MODULES) {
    const value = changes[module];
    if (value !== undefined) card[module] = value;
  }
  return okReply();
};

// needkick (kick the account's online sessions) has no effect here: the emulator has no sessions.
const blockForm = z.object({ accid: accidField, needkick: flag('needkick').optional() });

export const block: Handler = (context) => {
  const { accid } = parseForm(blockForm, context.form);
  account(context, accid).valid = false;
  return okReply();
};

const unblockForm = z.object({ accid: accidField });

export const unblock: Handler = (context) => {
  const { accid } = parseForm(unblockForm, context.form);
  account(context, accid).valid = true;
  return okReply();
};
