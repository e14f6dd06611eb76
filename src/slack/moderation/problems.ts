import type { InputError } from '../../errors.js';
import { KICK_NOTIFY_EXT_MAX } from '../../nim/moderation-validate.js';
import { DURATION_RULE } from '../../moderation/duration.js';
import { KICK_MESSAGE_NEEDS_LOGOUT, MAX_ACCOUNTS, REASON_MAX } from '../../moderation/sanction.js';
import { code } from '../ui/text.js';
import { AttachedFileError } from '../interaction/attached-file.js';
import type { Messages } from '../i18n/catalog.js';

/**
 * A moderation problem (sanctionProblems, parseDuration) in the person's language, naming the limit: shown under the
 * form's field, or in the answer to a command.
 */
export function moderationProblemText(m: Messages, problem: InputError): string {
  const p = m.moderation.problems;
  switch (problem.field) {
    case 'accids':
      if (problem.value !== undefined && problem.rule === DURATION_RULE) return p.accidIsDuration(code(problem.value, 40));
      if (problem.value !== undefined) return p.accidBad(code(problem.value, 40));
      return tooManyOrNone(p, problem);
    case 'accountsFile':
      if (problem instanceof AttachedFileError) {
        const name = code(problem.fileName, 60);
        if (problem.reason === 'too_big') return p.fileTooBig(name, Math.round((problem.limit ?? 0) / 1024));
        if (problem.reason === 'timeout') return p.fileTimeout(name, (problem.limit ?? 0) / 1000);
        if (problem.reason === 'not_an_account') return p.fileBad(name, code(problem.entry ?? '', 40));
        return p.fileUnreadable(name);
      }
      return tooManyOrNone(p, problem);
    case 'reason':
      return problem.value === undefined ? p.reasonRequired : p.reasonTooLong(REASON_MAX, problem.value.length);
    case 'scope':
      return p.scope;
    case 'duration':
      return problem.rule === DURATION_RULE && problem.value ? p.notADuration(code(problem.value, 40)) : p.duration;
    case 'kickNotifyExt':
      if (problem.rule === KICK_MESSAGE_NEEDS_LOGOUT) return p.kickNotifyExtNeedsLogout;
      return p.kickNotifyExtTooLong(KICK_NOTIFY_EXT_MAX, problem.value?.length ?? 0);
    default:
      return problem.rule;
  }
}

/** "at most N accounts (this is M)" with the limit the rule names (one confirmation's, or IM_BULK_MAX), or none named. */
function tooManyOrNone(p: Messages['moderation']['problems'], problem: InputError): string {
  const tooMany = /at most (\d+) accounts.*this is (\d+)/.exec(problem.rule);
  return tooMany ? p.accidsTooMany(Number(tooMany[1] ?? MAX_ACCOUNTS), Number(tooMany[2])) : p.accidsNone;
}
