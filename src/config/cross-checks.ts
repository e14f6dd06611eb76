import type { ParsedEnv } from './env-schema.js';

/** Problems no single variable shows: settings that only make sense together. */

/**
 * Every problem of combination, each named in plain words. `parsed` is undefined when some variable did not parse:
 * the checks that need parsed values are skipped then (the variable's own problem is reported instead).
 */
export function crossFieldProblems(isSet: (name: string) => boolean, parsed: ParsedEnv | undefined): string[] {
  const problems = [...partialSet('Slack', ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'], isSet)];
  if (isSet('SLACK_APP_TOKEN') && !isSet('SLACK_BOT_TOKEN')) problems.push('SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing');
  problems.push(...partialSet('NetEase', ['NIM_APP_KEY', 'NIM_APP_SECRET'], isSet));
  if (parsed) problems.push(...approvalProblems(isSet, parsed.IM_APPROVAL_FOR));
  return problems;
}

/** Either all of a group is set or none: never a silent fall-back to demo data when the operator meant production. */
function partialSet(service: string, group: string[], isSet: (name: string) => boolean): string[] {
  const missing = group.filter((name) => !isSet(name));
  if (missing.length === 0 || missing.length === group.length) return [];
  return missing.map((name) => `${name} is missing: set every ${service} setting or none (none starts local mode)`);
}

/** A policy needs somewhere to post its requests. (Every action IM_APPROVAL_FOR names asks for approval.) */
function approvalProblems(isSet: (name: string) => boolean, policy: ParsedEnv['IM_APPROVAL_FOR']): string[] {
  const problems: string[] = [];
  const asksAny = policy.actions.length > 0 || policy.bulkOver !== undefined;
  if (asksAny && !isSet('IM_APPROVAL_CHANNEL') && !isSet('AUDIT_CHANNEL')) {
    problems.push('IM_APPROVAL_FOR needs IM_APPROVAL_CHANNEL or AUDIT_CHANNEL: where approval requests are posted');
  }
  return problems;
}
