import { z } from 'zod';

/**
 * Which actions need a second person (IM_APPROVAL_FOR): a comma-separated list of action names (`mute`, `unmute`,
 * `block`, `unblock`, `update_user_card`, `qchat_update_member`, `undo`, `rollback`) and `bulk>N` (a mute, unmute,
 * block or unblock of more than N accounts at once). Empty (the default): nothing needs approval, so nothing changes
 * for who does not set it.
 */
// The guarded actions spelled out rather than imported: the settings read this, and the policy reads the settings
// (a test holds the two lists equal).
export const changeActions = ['update_user_card', 'qchat_update_member', 'mute', 'unmute', 'block', 'unblock'] as const;
export type ChangeAction = (typeof changeActions)[number];
export const approvableActions = [...changeActions, 'undo', 'rollback'] as const;
export type ApprovableAction = (typeof approvableActions)[number];

export type ApprovalPolicy = Readonly<{
  actions: readonly ApprovableAction[];
  /** A bulk action of more than this many accounts needs approval. */
  bulkOver?: number;
}>;

/** How long a request waits for a decision when IM_APPROVAL_MINUTES is not set. */
export const DEFAULT_APPROVAL_MINUTES = 30;

export const noApprovals: ApprovalPolicy = Object.freeze({ actions: [] });

const BULK = /^bulk\s*>\s*(\d{1,6})$/;

/** Parses IM_APPROVAL_FOR. Every unknown word is a problem, named with what is accepted. */
export function parseApprovalFor(text: string | undefined): { policy: ApprovalPolicy } | { problems: string[] } {
  const problems: string[] = [];
  const actions = new Set<ApprovableAction>();
  let bulkOver: number | undefined;
  for (const raw of (text ?? '').split(',')) {
    const word = raw.trim().toLowerCase();
    if (word === '') continue;
    const bulk = BULK.exec(word);
    if (bulk) {
      const over = Number(bulk[1]);
      if (over < 1) problems.push(`"${raw.trim()}": bulk>N needs N of at least 1`);
      else bulkOver = Math.min(bulkOver ?? over, over);
    } else if ((approvableActions as readonly string[]).includes(word)) actions.add(word as ApprovableAction);
    else {
      problems.push(
        `"${raw.trim().slice(0, 40)}" is not one of ${approvableActions.join(', ')}, bulk>N (e.g. block,unblock,bulk>20,rollback)`,
      );
    }
  }
  if (problems.length > 0) return { problems };
  return { policy: Object.freeze({ actions: [...actions], ...(bulkOver === undefined ? {} : { bulkOver }) }) };
}

/** IM_APPROVAL_FOR as a config field: the problems become zod issues (the config lists every problem at once). */
export const approvalForSchema = z
  .string()
  .optional()
  .transform((text, context): ApprovalPolicy => {
    const parsed = parseApprovalFor(text);
    if ('policy' in parsed) return parsed.policy;
    for (const problem of parsed.problems) context.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

/** What is about to happen, as the approval policy sees it. */
export type ApprovalSubject =
  | { kind: 'change'; action: ChangeAction; /** Accounts at once (1 for a card or a nick). */ accounts: number }
  | { kind: 'undo'; action: ChangeAction }
  /** `undoes`: the actions its undos perform (each needs what one undo of it needs). */
  | { kind: 'rollback'; undoes?: readonly ChangeAction[] };

/** Whether the subject needs a second person under the policy. */
export function needsApproval(policy: ApprovalPolicy, subject: ApprovalSubject): boolean {
  switch (subject.kind) {
    case 'rollback':
      return (
        policy.actions.includes('rollback') || (subject.undoes ?? []).some((action) => needsApproval(policy, { kind: 'undo', action }))
      );
    case 'undo':
      // An undo is a change of its own kind too: undoing an unblock blocks, so it needs what a block needs.
      return policy.actions.includes('undo') || policy.actions.includes(subject.action);
    case 'change':
      return policy.actions.includes(subject.action) || (policy.bulkOver !== undefined && subject.accounts > policy.bulkOver);
  }
}
