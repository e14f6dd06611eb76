import { z } from 'zod';
import type { UserCard } from '../../nim/types.js';
import type { Handler, HandlerContext } from './handler.js';
import { accidField, chars, flag, NimFailure, okReply, parseForm } from './form.js';

/**
 * The moderation endpoints. An unknown accid answers 414 `<accid> is not registered` on all four: NetEase's page
 * documents that text for block.action; for mute, muteModule and unblock it says nothing, and the same account check
 * of the user service is assumed (README, "NetEase endpoints used").
 */
function account({ store }: HandlerContext, accid: string): UserCard {
  const card = store.user(accid);
  if (!card) throw new NimFailure(414, `${accid} is not registered`);
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

/** Module mutes; modules not named keep their state. The answer's `data` holds all four flags as they now stand. */
export const muteModule: Handler = (context) => {
  const changes = parseForm(muteModuleForm, context.form);
  const card = account(context, changes.accid);
  for (const module of MODULES) {
    const value = changes[module];
    if (value !== undefined) card[module] = value;
  }
  const data = Object.fromEntries(MODULES.map((module) => [module, card[module] ?? false]));
  return okReply({ data });
};

// needkick (kick the account's online sessions) has no effect here: the emulator has no sessions.
const blockForm = z.object({
  accid: accidField,
  needkick: flag('needkick').optional(),
  kickNotifyExt: chars('kickNotifyExt', 256),
});

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
