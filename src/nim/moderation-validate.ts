import { InputError } from '../errors.js';
import { type ModuleMutes, muteModules } from './types.js';
import { accidProblems } from './validate.js';

/** NetEase's limit on block.action's kickNotifyExt, in characters (UTF-16 code units, as Java counts). */
export const KICK_NOTIFY_EXT_MAX = 256;

/**
 * Problems with a moderation call's parameters, all of them, before any network call: the accid's syntax, at least
 * one module flag for muteModule (none is a 414 at NetEase), and kickNotifyExt's length.
 */
export function moderationProblems(input: { accid: unknown; modules?: ModuleMutes; kickNotifyExt?: string }): InputError[] {
  const problems = accidProblems('accid', input.accid);
  if (input.modules !== undefined && !muteModules.some((module) => typeof input.modules?.[module] === 'boolean')) {
    problems.push(new InputError('modules', `at least one of ${muteModules.join(', ')} must be set to true or false`));
  }
  if (input.kickNotifyExt !== undefined && input.kickNotifyExt.length > KICK_NOTIFY_EXT_MAX) {
    problems.push(
      new InputError(
        'kickNotifyExt',
        `at most ${KICK_NOTIFY_EXT_MAX} characters (this is ${input.kickNotifyExt.length})`,
        input.kickNotifyExt,
      ),
    );
  }
  return problems;
}
