/** The rollback texts, English: the reference shape for rollback-zh-cn.ts. */
export const rollbackEn = {
  title: 'Roll back',
  button: 'Roll back…',
  preview: 'Preview',
  submit: 'Roll back',
  workingTitle: 'Rolling back',
  doneTitle: 'Rolled back',
  /** `who` is a mention. */
  sinceIntro: (who: string) => `Undo every change ${who} made since:`,
  period: 'Since',
  periods: { '1h': 'the last hour', '24h': 'the last 24 hours', '7d': 'the last 7 days' },
  at: 'Or since this date and time',
  atInFuture: 'Choose a time in the past.',
  progress: (settled: number, total: number) => `${settled} of ${total} done…`,
  again: 'This rollback was confirmed already: it runs once.',
  /** `who` is a mention, `since` a UTC time (both escaped). */
  summary: (changes: number, accounts: number, who: string, since: string) =>
    `*${changes} ${changes === 1 ? 'change' : 'changes'}* over *${accounts} ${accounts === 1 ? 'account' : 'accounts'}* by ${who} since ${since}, newest first:`,
  nothing: (who: string, since: string) => `${who} changed nothing since ${since}: there is nothing to roll back.`,
  /** One change of the preview: `at` a time, `what` the action's label, `accid` escaped, `effect` what happens. */
  line: (at: string, what: string, accid: string, effect: string) => `• ${at} · ${what} · ${accid}: ${effect}`,
  willSet: (fields: string) => `will set ${fields}`,
  setField: (field: string, value: string) => `${field} → *${value}*`,
  skip: {
    changed_since: '_skipped: someone else changed it since_',
    already: '_skipped: already as before_',
    already_undone: '_skipped: undone already_',
    not_found: '_skipped: the account is gone_',
    not_undoable: '_skipped: the value before is not known_',
    protected: '_skipped: protected account_',
  },
  counts: (undo: number, skipped: number) => `${undo} will be undone, ${skipped} skipped.`,
  notShown: (count: number) => `…and ${count} more not shown here (they are rolled back all the same).`,
  report: {
    undone: (id: string) => `undone (${id})`,
    skipped_changed_since: '_skipped: changed since by someone else_',
    skipped: (why: string) => `_skipped: ${why}_`,
    /** Its undo would mute or block a protected account (IM_PROTECTED_ACCIDS). */
    protected_account: '_skipped: protected account_',
    failed: (why: string) => `*failed*: ${why}`,
  },
  reportCounts: (undone: number, changedSince: number, skipped: number, failed: number) =>
    `Undone ${undone} · skipped, changed since ${changedSince} · skipped ${skipped} · failed ${failed}`,
  /** `who` is a mention: the second person, when IM_APPROVAL_FOR asked one. */
  approvedBy: (who: string) => `approved by ${who}`,
  /** An approval request's one line; `who` is a mention, `since` a UTC time. */
  requestLine: (changes: number, accounts: number, who: string, since: string) =>
    `*Roll back* ${changes} ${changes === 1 ? 'change' : 'changes'} over ${accounts} ${accounts === 1 ? 'account' : 'accounts'} by ${who} since ${since}`,
  /** To the approver, at once; `who` is the requester's mention. */
  approvedRuns: (who: string) => `You approved the rollback: it runs now, and ${who} gets its progress and report.`,
  /** To the requester, by DM, above the progress. */
  approvedHead: (who: string) => `Your rollback was approved by ${who}:`,
  /** The audit channel's one message for a whole rollback; `lead` and `who` are mentions. */
  channel: (lead: string, who: string, since: string, id: string) =>
    `:rewind: *Rollback* by ${lead} of the changes ${who} made since ${since} (${id})`,
  /** The channel message's state line while it runs, and once a process death interrupted it. */
  channelRunning: (settled: number, total: number) => `Running: ${settled} of ${total} settled…`,
  channelInterrupted: (settled: number, total: number) =>
    `:warning: Interrupted at ${settled} of ${total}: nothing more is undone until someone continues it.`,
  /** Its state line once a shutdown paused it at a safe point (the next start offers Continue). */
  channelPaused: (settled: number, total: number) =>
    `:double_vertical_bar: Paused by a shutdown of im-admin at ${settled} of ${total}: what is undone stays undone. The next start offers to continue the rest.`,
  /** To the person whose rollback a shutdown paused. */
  pausedByShutdown: (settled: number, total: number) =>
    `:double_vertical_bar: im-admin is shutting down: the rollback paused at ${settled} of ${total}. What is undone stays undone; the next start sends you Continue for the rest.`,
  /** A thread reply listing changes `from`–`to` (1-based) of `total`. */
  replyHead: (from: number, to: number, total: number) => `Changes ${from}–${to} of ${total}:`,
  notReached: '_not reached_',
  /** To the person who ran it, and in the audit channel; `who` is a mention, `counts` reportCounts. */
  interrupted: (who: string, settled: number, total: number, counts: string) =>
    `:warning: The rollback of ${who}'s changes was interrupted: im-admin stopped at ${settled} of ${total} (${counts}). What is undone stays undone. Press Continue to undo the rest, each only if nothing changed since; nothing more is sent until someone does.`,
  continue: 'Continue',
  /** To who pressed Continue. */
  continuing: (left: number) => `Continuing the rollback: ${left} ${left === 1 ? 'change' : 'changes'} left, each read again first.`,
  cannotContinue: 'This rollback cannot be continued: it finished, it runs, or someone continued it already.',
  /** IM_APPROVAL_FOR covers it now, and it was not approved when it started. */
  continueNeedsApproval:
    'IM_APPROVAL_FOR covers this rollback now and it was not approved: it is not continued, nothing sent. Roll back again from /im-audit to ask for approval.',
};
