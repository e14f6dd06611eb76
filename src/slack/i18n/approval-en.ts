/** The approval texts (IM_APPROVAL_FOR), English: the reference shape for approval-zh-cn.ts. */
export const approvalEn = {
  /** The confirmation's submit button when a second person must approve. */
  request: 'Request approval',
  needsNote: 'This needs a second person: submitting posts a request with Approve and Reject; nothing is sent until someone else approves.',
  requestedTitle: 'Approval requested',
  /** The request could not be stored: nothing is pending, so trying again is safe. */
  notStored:
    ':x: Your request for approval could not be stored: the audit trail cannot take it right now, so nothing was posted and nothing was sent to NetEase. Nothing is waiting for approval: try again (open the form or run the command again) once the audit store is back. Tell whoever runs this app: the audit store (its file and disk, or its database) needs attention.',
  /** `where` is a channel mention. */
  requested: (where: string, minutes: number) =>
    `Your request is posted in ${where}. Someone else with the permission can approve it within ${minutes} min; you are told the outcome.`,
  /** `who` is a mention, `what` the confirmation line (already escaped). */
  heading: (who: string) => `:raised_hand: *Approval requested* by ${who}`,
  expires: (at: string) => `Approve or reject by ${at}. The requester cannot approve their own request.`,
  approve: 'Approve',
  reject: 'Reject',
  approvedBy: (who: string, at: string) => `:white_check_mark: Approved by ${who} at ${at}: carried out.`,
  /** A kind that starts a long run (a rollback, a batch): its own report says how it ends. */
  approvedStarted: (who: string, at: string) => `:white_check_mark: Approved by ${who} at ${at}: started; its own report says how it ends.`,
  rejectedBy: (who: string, at: string) => `:no_entry_sign: Rejected by ${who} at ${at}: nothing sent.`,
  expiredAt: (at: string) => `:hourglass: Expired at ${at}: nothing sent.`,
  ownRequest: 'You asked for this, so you cannot approve it: someone else with the permission must. (Reject withdraws it.)',
  already: 'This request was already decided or expired: nothing more is done.',
  unknown: 'This request is not known (it may have been removed): nothing is done.',
  tellApproved: (who: string) => `Your request was approved by ${who} and carried out:`,
  tellRejected: (who: string, what: string) => `Your request was rejected by ${who}: nothing sent. (${what})`,
  tellWithdrawn: (what: string) => `You withdrew your request: nothing sent. (${what})`,
  tellExpired: (what: string) => `Your request expired before anyone approved it: nothing sent. (${what})`,
  /** An approved request its kind did not carry out (`why` ends with a full stop; `tail` is nothingSent or seeTrail). */
  approvedNotRun: (who: string, at: string, why: string, tail: string) =>
    `:warning: Approved by ${who} at ${at}, but not carried out: ${why} ${tail}`,
  tellNotRun: (who: string, why: string, what: string, tail: string) =>
    `Your request was approved by ${who}, but not carried out: ${why} ${tail} (${what})`,
  approverNotRun: (why: string, tail: string) => `Approved, but not carried out: ${why} ${tail} The requester is told.`,
  nothingSent: 'Nothing sent.',
  /** After a run that failed: what it may have done first is recorded. */
  seeTrail: 'Anything it did before it failed is in the audit trail.',
  /** `reference` is the request's id, formatted. */
  runFailed: (reference: string) => `it failed (reference ${reference}).`,
  requesterMayNot: 'the requester may no longer do this.',
  /** `accid` and `fields` are already formatted. */
  cardEditLine: (accid: string, fields: string) => `Edit the card of ${accid}: ${fields}`,
  qchatLine: (accid: string, serverId: string, fields: string) => `Set the QChat member card of ${accid} in server ${serverId}: ${fields}`,
  changedSince: (fields: string) =>
    `it changed since the request (${fields}), and an approval never overwrites that. Ask again over the new values.`,
  readFailedSince: 'reading it again at the approval failed, so nothing could be checked.',
  goneSince: (accid: string) => `${accid} is not there any more (no such account or member).`,
  /** Audit entries (channel and /im-audit): `who` is a mention. */
  entryApprovedBy: (who: string) => `:white_check_mark: Approved by ${who}`,
  entryRejectedBy: (who: string) => `:no_entry_sign: Request rejected by ${who}: nothing sent`,
  entryWithdrawn: ':no_entry_sign: Request withdrawn by the requester: nothing sent',
  entryExpired: ':hourglass: Request expired before anyone approved it: nothing sent',
  /** After the line above, for a request on several accounts (each has its own entry). */
  entryAccounts: (accounts: number) => `(the request was for ${accounts} accounts)`,
};

export type ApprovalMessages = typeof approvalEn;
