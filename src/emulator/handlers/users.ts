import { z } from 'zod';
import { accidKey } from '../../nim/accid.js';
import type { UserCard } from '../../nim/types.js';
import type { Handler } from './handler.js';
import { accidField, bidField, bytes, chars, notFound, okReply, parseForm, required } from './form.js';

export const MAX_ACCIDS_PER_LOOKUP = 200;

const accidList = required('accids')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const message = 'accids is not valid JSON: expected a JSON array of accids';
      ctx.issues.push({ code: 'custom', message, input: text });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(z.string({ error: 'accids must be a JSON array of strings' }), {
        error: 'accids must be a JSON array of strings',
      })
      .max(MAX_ACCIDS_PER_LOOKUP, `limit max accids size: ${MAX_ACCIDS_PER_LOOKUP}`),
  );

const getUinfosForm = z.object({
  accids: accidList,
  // Read as Java's Boolean.parseBoolean reads it: anything but "true" is false.
  muteStatus: z
    .string()
    .optional()
    .transform((value) => value?.toLowerCase() === 'true'),
});

/** Card fields in the order NetEase writes them; the module flags are only written when muteStatus=true. */
const CARD_FIELDS = ['accid', 'name', 'icon', 'sign', 'email', 'birth', 'mobile', 'ex', 'gender', 'valid', 'mute'] as const;
const MUTE_MODULE_FIELDS = ['muteP2P', 'muteQChat', 'muteTeam', 'muteRoom'] as const;

function answeredCard(card: UserCard, muteStatus: boolean): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  for (const field of CARD_FIELDS) if (card[field] !== undefined) answer[field] = card[field];
  if (muteStatus) for (const field of MUTE_MODULE_FIELDS) answer[field] = card[field] ?? false;
  return answer;
}

/** Unknown accids are simply left out (assumed: NetEase does not document it), and each account is answered once. */
export const getUinfos: Handler = ({ form, store }) => {
  const { accids, muteStatus } = parseForm(getUinfosForm, form);
  const seen = new Set<string>();
  const uinfos: Record<string, unknown>[] = [];
  for (const accid of accids) {
    const key = accidKey(accid);
    if (seen.has(key)) continue;
    seen.add(key);
    const card = store.user(key);
    if (card) uinfos.push(answeredCard(card, muteStatus));
  }
  return okReply({ uinfos });
};

const updateUinfoForm = z.object({
  accid: accidField,
  name: chars('name', 64),
  icon: bytes('icon', 1024),
  sign: chars('sign', 256),
  email: chars('email', 64),
  birth: chars('birth', 16),
  mobile: chars('mobile', 32),
  gender: z.enum(['0', '1', '2'], { error: 'gender must be 0, 1 or 2' }).transform(Number).optional(),
  ex: chars('ex', 1024),
  bid: bidField,
});

const TEXT_FIELDS = ['name', 'icon', 'sign', 'email', 'birth', 'mobile', 'ex'] as const;

/** Absent keeps a field, an empty string clears it. An unknown accid answers 404 (assumed: the docs do not say). */
export const updateUinfo: Handler = ({ form, store }) => {
  const changes = parseForm(updateUinfoForm, form);
  const card = store.user(changes.accid);
  if (!card) throw notFound('accid');
  for (const field of TEXT_FIELDS) {
    const value = changes[field];
    if (value === undefined) continue;
    if (value === '') delete card[field];
    else card[field] = value;
  }
  if (changes.gender !== undefined) card.gender = changes.gender;
  return okReply();
};
