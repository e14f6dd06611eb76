import { parseDuration, type Duration } from '../../moderation/duration.js';
import { sanctionProblems, splitAccids, type MuteScope, type Sanction, type SanctionKind } from '../../moderation/sanction.js';
import { InputError } from '../../errors.js';
import { muteModules } from '../../nim/types.js';
import { chosenOptions, typedText, type SubmittedValues } from '../interaction/submitted.js';
import { EVERYWHERE, KICK } from './views.js';

/** The moderation form's values as a sanction, and every problem with it (each under its field). */
export function readModerationForm(
  kind: SanctionKind,
  values: SubmittedValues,
  maxAccounts?: number,
): { sanction: Sanction; problems: InputError[] } {
  const problems: InputError[] = [];
  const sanction: Sanction = {
    kind,
    accids: splitAccids(typedText(values, 'accids') ?? ''),
    reason: (typedText(values, 'reason') ?? '').trim(),
  };
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
  return { sanction, problems: [...problems, ...rest] };
}
