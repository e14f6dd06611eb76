import type { AccountOutcome } from '../../moderation/execute.js';
import type { Refusal } from '../../policy/types.js';

/**
 * What a failed or finished step says, for the workflow's author reading the run in Workflow Builder: plain English
 * naming the input and the rule, no Slack markup (Workflow Builder shows it as text).
 */

export function refusalText(actor: string, refusal: Refusal): string {
  switch (refusal.reason) {
    case 'not_a_moderator':
      return `The acting person (${actor}) may not mute or block NetEase IM accounts: it needs the ${refusal.required} role or above${groups(refusal.usergroups)}. Choose a moderator as "Acting person", or ask an admin to grant it (IM_MODERATE_MIN_ROLE, IM_MODERATE_USERGROUPS, IM_MODERATE_USERS).`;
    case 'not_a_writer':
      return `The acting person (${actor}) may not change NetEase IM accounts: it needs the ${refusal.required} role or above${groups(refusal.usergroups)}.`;
    case 'below_read_role':
      return `The acting person (${actor}) may not look up NetEase IM accounts: it needs the ${refusal.required} role or above (IM_READ_MIN_ROLE).`;
    case 'protected_account':
      return `Refused: ${refusal.accids.join(', ')} ${refusal.accids.length === 1 ? 'is' : 'are'} protected (IM_PROTECTED_ACCIDS) and never muted or blocked from Slack. Nothing was sent for any account.`;
    case 'unknown_person':
      return `Slack could not say who the acting person (${actor}) is, so the step was refused. Run it again shortly.`;
    case 'tampered_submission':
      return 'Refused: the step input was altered.';
    default:
      return `The acting person (${actor}) may not use im-admin (${refusal.reason.replace(/_/g, ' ')}).`;
  }
}

function groups(usergroups: readonly string[]): string {
  return usergroups.length > 0 ? `, or membership of one of the user groups ${usergroups.join(', ')}` : '';
}

/** One line per account: what the step did to it. */
export function outcomeLine(outcome: AccountOutcome, done: string, already: string): string {
  switch (outcome.status) {
    case 'done':
      return `${outcome.accid}: ${done}`;
    case 'already':
      return `${outcome.accid}: ${already}`;
    case 'not_found':
      return `${outcome.accid}: no such account`;
    case 'failed':
      return `${outcome.accid}: not done (${outcome.nimCode === undefined ? outcome.errorCode : `NetEase code ${outcome.nimCode}`})`;
    case 'unknown':
      return `${outcome.accid}: outcome unknown (NetEase did not confirm; check the account)`;
    case 'stopped':
      return `${outcome.accid}: not sent (the app was stopping)`;
  }
}
