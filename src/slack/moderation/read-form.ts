import { parseDuration, type Duration } from '../../moderation/duration.js';
import { accountList, type AccountList } from '../../moderation/batch/account-list.js';
import {
  MAX_ACCOUNTS,
  sanctionProblems,
  splitAccids,
  type MuteScope,
  type Sanction,
  type SanctionKind,
} from '../../moderation/sanction.js';
import { InputError } from '../../errors.js';
import { AttachedFileError } from '../interaction/attached-file.js';
import { muteModules } from '../../nim/types.js';
import { chosenOptions, typedText, type SubmittedValues } from '../interaction/submitted.js';
import { ACCOUNTS_FILE, EVERYWHERE, KICK } from './views.js';

/** A list attached to the form, read: its name and the ids in it (tokensOfFile). */
export type AttachedList = { name: string; tokens: readonly string[] };

/**
 * The moderation form's values as a sanction, and every problem with it (each under its field). The ids of an attached
 * list join the typed ones (repeats folded); its entries that are not account ids are set aside in `setAside`, listed
 * by a batch's confirmation, and a problem under the file's field for an action small enough for one confirmation.
 */
export function readModerationForm(
  kind: SanctionKind,
  values: SubmittedValues,
  maxAccounts?: number,
  attached?: AttachedList,
): { sanction: Sanction; problems: InputError[]; setAside?: AccountList } {
  const problems: InputError[] = [];
  const typed = splitAccids(typedText(values, 'accids') ?? '');
  const fromFile = attached ? accountList(attached.tokens) : undefined;
  // Valid ids have no spaces or commas, so joining them to the typed ones and splitting again folds the repeats.
  const accids = fromFile ? splitAccids([...typed, ...fromFile.accids].join('\n')) : typed;
  const sanction: Sanction = { kind, accids, reason: (typedText(values, 'reason') ?? '').trim() };
  if (attached && fromFile && fromFile.invalidCount > 0 && accids.length <= MAX_ACCOUNTS) {
    problems.push(new AttachedFileError(ACCOUNTS_FILE, attached.name, 'not_an_account', undefined, fromFile.invalid[0]!.text));
  }
  if (kind === 'mute') {
    const chosen = chosenOptions(values, 'scope');
    const scope: MuteScope = chosen.includes(EVERYWHERE) ? 'everywhere' : muteModules.filter((module) => chosen.includes(module));
    sanction.scope = scope;
    let duration: Duration | undefined;
    try {
      duration = parseDuration(typedText(values, 'duration') ?? '');
      sanction.duration = duration;
    } catch (error) {
      if (error instanceof InputError) problems.push(error);
      else throw error;
    }
  }
  if (kind === 'block') {
    sanction.needkick = chosenOptions(values, 'needkick').includes(KICK);
    const ext = typedText(values, 'kickNotifyExt') ?? '';
    if (ext !== '') sanction.kickNotifyExt = ext;
  }
  const rest = sanctionProblems(sanction, maxAccounts).filter(
    (problem) => !(problem.field === 'duration' && problems.some((p) => p.field === 'duration')),
  );
  // Too many accounts in all is said under the file, when there is one: that is where they came from.
  const placed = attached
    ? rest.map((p) => (p.field === 'accids' && p.value === undefined ? new InputError(ACCOUNTS_FILE, p.rule) : p))
    : rest;
  return { sanction, problems: [...problems, ...placed], ...(fromFile && fromFile.invalidCount > 0 ? { setAside: fromFile } : {}) };
}
