/** The moderation texts (mute, unmute, block, unblock), English: the reference shape for moderation-zh-cn.ts. */

const s = (n: number, one: string, many: string) => (n === 1 ? one : many);
const accounts = (n: number) => `${n} ${s(n, 'account', 'accounts')}`;

export const moderationEn = {
  verb: { mute: 'Mute', unmute: 'Unmute', block: 'Block', unblock: 'Unblock' },
  formTitle: { mute: 'Mute accounts', unmute: 'Unmute accounts', block: 'Block accounts', unblock: 'Unblock accounts' },
  confirmTitle: 'Confirm',
  workingTitle: 'Working…',
  doneTitle: 'Done',
  problemsTitle: 'Done, with problems',
  failedTitle: 'Not done',
  stoppedTitle: 'Stopped part-way',
  review: 'Review',
  accountsLabel: 'Accounts',
  accountsHint: (max: number) => `NetEase account IDs, separated by spaces, commas or new lines; at most ${max}.`,
  fileLabel: 'Or attach a list',
  fileHint: (kb: number) =>
    `A .txt (IDs separated by spaces, commas or new lines) or a .csv (the first column; a header row is skipped); at most ${kb} KB.`,
  scopeLabel: 'Where',
  scopeHint: 'Everywhere is NetEase’s global mute (one-to-one, teams, chat rooms); or pick the places to mute.',
  scopeEverywhere: 'Everywhere',
  durationLabel: 'For how long',
  durationHint: '30m, 2h, 7d, 1w … up to 365d, or forever. im-admin lifts a timed mute itself at the end.',
  reasonLabel: 'Reason',
  reasonHint: (max: number) => `Why, for the audit trail (at most ${max} characters).`,
  /** Slack itself marks an optional input "(optional)": the label must not say it again. */
  reasonOptionalLabel: 'Reason',
  needkickLabel: 'Devices',
  needkickOption: 'Log them out of every device',
  kickNotifyExtLabel: 'Message to their devices',
  kickNotifyExtHint: (max: number) => `Delivered to the devices logged out; at most ${max} characters.`,
  /** The one confirmation: exactly what will happen. */
  summary: {
    mute: (n: number, where: string, howLong: string, reason: string) => `*Mute ${accounts(n)} ${where} ${howLong}* — reason: ${reason}`,
    unmute: (n: number, reason: string) =>
      `*Unmute ${accounts(n)}*: every mute they have (global and per place) is lifted, and a pending timed lift is cancelled${reason ? ` — reason: ${reason}` : ''}`,
    block: (n: number, kick: boolean, reason: string) =>
      `*Block ${accounts(n)}*${kick ? ' and log them out of every device' : ' (devices stay logged in until they log out)'} — reason: ${reason}`,
    unblock: (n: number, reason: string) => `*Unblock ${accounts(n)}*${reason ? ` — reason: ${reason}` : ''}`,
  },
  whereEverywhere: 'everywhere',
  whereIn: (places: string) => `in ${places}`,
  forHowLongFromConfirm: (amount: number, unit: 'm' | 'h' | 'd' | 'w') =>
    `for ${amount} ${{ m: 'min', h: 'h', d: s(amount, 'day', 'days'), w: s(amount, 'week', 'weeks') }[unit]} from when you confirm`,
  forHowLongFromApproval: (amount: number, unit: 'm' | 'h' | 'd' | 'w') =>
    `for ${amount} ${{ m: 'min', h: 'h', d: s(amount, 'day', 'days'), w: s(amount, 'week', 'weeks') }[unit]} from when it is approved`,
  forHowLong: (amount: number, unit: 'm' | 'h' | 'd' | 'w', until: string) =>
    `for ${amount} ${{ m: 'min', h: 'h', d: s(amount, 'day', 'days'), w: s(amount, 'week', 'weeks') }[unit]}, until ${until}`,
  forever: 'with no end (until someone unmutes them)',
  deviceMessage: (text: string) => `Message to their devices: ${text}`,
  accountList: (list: string) => `Accounts: ${list}`,
  confirmNote: 'NetEase is called when you press the button; each account is recorded in the audit trail.',
  progress: (done: number, total: number) => `:hourglass_flowing_sand: ${done} of ${total} done…`,
  reportTitle: {
    mute: (n: number) => `Mute: ${accounts(n)}`,
    unmute: (n: number) => `Unmute: ${accounts(n)}`,
    block: (n: number) => `Block: ${accounts(n)}`,
    unblock: (n: number) => `Unblock: ${accounts(n)}`,
  },
  reportSummary: (done: number, already: number, notFound: number, failed: number, stopped = 0) =>
    [
      `${done} done`,
      already ? `${already} already so` : '',
      notFound ? `${notFound} not found` : '',
      failed ? `${failed} failed or unknown` : '',
      stopped ? `stopped: ${stopped} not sent` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  liftsAt: (until: string) => `im-admin lifts it at ${until}.`,
  status: {
    done: ':white_check_mark: done',
    doneConfirmed: ':white_check_mark: done (confirmed by reading back)',
    already: ':ballot_box_with_check: already so, nothing sent',
    not_found: ':grey_question: not found at NetEase',
    failed: (code: string) => `:x: failed (${code})`,
    rateLimited: (seconds: number) => `:x: not sent: NetEase rate limit, try again in ${seconds} s`,
    unknown: ':grey_question: outcome unknown: NetEase did not answer clearly and reading back failed',
  },
  nowState: (state: string) => `now: ${state}`,
  stateUnread: 'state could not be read',
  notMuted: 'not muted',
  mutedIn: (places: string) => `muted ${places}`,
  blocked: 'blocked',
  notBlocked: 'not blocked',
  tooManyToConfirm:
    'This is too much to confirm in one form (the accounts and the reason do not fit). Use fewer accounts or a shorter reason.',
  readFailed: 'The accounts could not be read from NetEase first, so nothing was sent.',
  problems: {
    accidsNone: 'Name at least one account.',
    fileTooBig: (name: string, kb: number) =>
      `${name} is larger than ${kb} KB, the most a list may be. Split it, or attach a smaller file.`,
    fileTimeout: (name: string, seconds: number) => `${name} did not arrive from Slack within ${seconds} s. Submit again.`,
    fileUnreadable: (name: string) => `${name} could not be read from Slack. Attach it again.`,
    fileBad: (name: string, accid: string) =>
      `${name}: ${accid} is not a valid account ID (letters, digits and _ @ . - only, at most 32 characters).`,
    accidsTooMany: (max: number, n: number) => `At most ${max} accounts at once; this is ${n}.`,
    accidBad: (accid: string) => `Not a valid account ID: ${accid} (letters, digits and _ @ . - only, at most 32 characters).`,
    reasonRequired: 'Say why: the reason is recorded in the audit trail.',
    reasonTooLong: (max: number, n: number) => `At most ${max} characters; this is ${n}.`,
    scope: 'Choose Everywhere, or at least one place.',
    duration: 'Type a duration like 30m, 2h, 7d or 1w (1 minute to 365 days), or forever.',
    notADuration: (typed: string) =>
      `Duration: ${typed} is not a duration. Type a whole number in digits 0–9 and m, h, d or w (30m, 2h, 7d, 1w; 1 minute to 365 days), or forever.`,
    accidIsDuration: (typed: string) =>
      `${typed} is a duration, not an account ID: put it in the duration field (30m, 2h, 7d, 1w or forever; digits 0–9).`,
    kickNotifyExtTooLong: (max: number, n: number) => `At most ${max} characters (NetEase’s limit); this is ${n}.`,
    kickNotifyExtNeedsLogout:
      'NetEase delivers this message only to devices it logs out. Tick “Log out of every device”, or leave the message empty.',
    reasonTooLongTyped: (max: number, n: number) =>
      `Reason: at most ${max} characters; this is ${n.toLocaleString('en-US')}. Shorten it (the full story belongs in a ticket; link it).`,
  },
  audit: {
    scope: 'Where',
    liftsAt: 'Lifts',
    never: 'never (forever)',
    devices: 'Devices',
    loggedOut: 'logged out of every device',
    staySignedIn: 'stay logged in',
    deviceMessage: 'Message to devices',
    timedLift: (setter: string, sanctionId: string, lateSeconds: number) =>
      `Timed lift by im-admin on behalf of ${setter} (sanction ${sanctionId})${lateSeconds > 60 ? `, ${lateSeconds} s late (no process was running at the due time)` : ''}.`,
  },
  noScheduleAhead:
    ':warning: This deployment has no lift schedule yet (its audit store keeps none), so nothing will lift this mute by itself: the report says when to unmute them.',
  noSchedule: (until: string) =>
    `:warning: This deployment has no lift schedule yet (its audit store keeps none), so nothing will lift this mute by itself: unmute them at ${until}.`,
  info: {
    mutedHere: (actor: string, at: string) => `Muted through im-admin by ${actor} at ${at}`,
    blockedHere: (actor: string, at: string) => `Blocked through im-admin by ${actor} at ${at}`,
    reason: (reason: string) => ` — reason: ${reason}`,
    lifts: (at: string) => ` · im-admin lifts it at ${at}`,
    noEnd: ' · no end set',
    mutedOutside: 'Muted: set outside im-admin (no record here of who or why)',
    blockedOutside: 'Blocked: set outside im-admin (no record here of who or why)',
  },
  /** One action on many accounts, run in the background (a batch). */
  batch: {
    duplicatesFolded: (n: number) => `${n} repeated ${s(n, 'ID was', 'IDs were')} folded into one.`,
    invalidSetAside: (n: number, shown: string) =>
      `${n} ${s(n, 'entry is not an account ID', 'entries are not account IDs')} and ${s(n, 'is', 'are')} left out: ${shown}`,
    confirmNote:
      'It runs in the background at NetEase’s pace, with its progress here and a Stop button. Each account is recorded in the audit trail; the audit channel gets one message for the whole action.',
    counts: (c: {
      settled: number;
      total: number;
      done: number;
      already: number;
      not_found: number;
      failed: number;
      unknown: number;
      stopped: number;
    }) =>
      [
        `${c.settled} of ${c.total}`,
        `${c.done} done`,
        c.already ? `${c.already} already so` : '',
        c.not_found ? `${c.not_found} not found` : '',
        c.failed ? `${c.failed} failed` : '',
        c.unknown ? `${c.unknown} unknown` : '',
        c.stopped ? `${c.stopped} not sent (stopped)` : '',
      ]
        .filter(Boolean)
        .join(' — '),
    state: {
      draft: 'Not started',
      running: ':hourglass_flowing_sand: Running',
      stopped: ':octagonal_sign: Stopped',
      finished: ':white_check_mark: Finished',
      interrupted: ':warning: Interrupted',
    },
    stop: 'Stop',
    continue: 'Continue',
    auditTitle: (action: string, n: number) =>
      `${({ mute: 'Mute', unmute: 'Unmute', block: 'Block', unblock: 'Unblock' } as Record<string, string>)[action] ?? action}: ${accounts(n)}`,
    batchId: (id: string) => `batch ${id}`,
    /** `who` is a mention: the second person, when IM_APPROVAL_FOR asked one. */
    approvedBy: (who: string) => `approved by ${who}`,
    /** To the requester of a batch once approved; `who` is a mention. */
    approvedStarted: (who: string, n: number) =>
      `Your action on ${accounts(n)} was approved by ${who} and runs now; the audit channel's message shows its progress.`,
    replyTitle: (from: number, to: number, total: number) => `Accounts ${from}–${to} of ${total}`,
    status: {
      done: ':white_check_mark: done',
      already: ':ballot_box_with_check: already so',
      not_found: ':grey_question: not found',
      failed: ':x: failed',
      unknown: ':grey_question: unknown',
      stopped: ':black_square_for_stop: not sent',
    },
    interrupted: (n: number, counts: string) =>
      `:warning: Your action on ${accounts(n)} was interrupted: im-admin stopped part-way (${counts}). What is done stays done. Press Continue to do the rest; nothing more is sent until you do.`,
    /** The state line of a batch a shutdown paused at a safe point (its record still says running). */
    pausedByShutdown:
      ':double_vertical_bar: Paused by a shutdown of im-admin: what is done stays done. The next start offers to continue the rest.',
    /** To the person who started it, when a run ends; `link` is the audit channel message, or empty. */
    ended: (how: 'finished' | 'stopped' | 'failed', action: string, n: number, counts: string) =>
      `${{ finished: ':white_check_mark: Finished', stopped: ':octagonal_sign: Stopped', failed: ':x: Failed part-way' }[how]}: ${
        ({ mute: 'mute', unmute: 'unmute', block: 'block', unblock: 'unblock' } as Record<string, string>)[action] ?? action
      } of ${accounts(n)} (${counts}).${how === 'failed' ? ' What is left is offered to continue shortly.' : ''}`,
    auditMessageLink: (link: string) => `In the audit channel: ${link}`,
    auditMessageLabel: 'the action’s message',
    stopped: 'Stopped: what is done stays done, nothing more is sent.',
    notRunningHere: 'This action is not running here any more (it finished, or another im-admin process runs it).',
    cannotContinue: 'This action cannot be continued: it finished, or someone continued it already.',
    notYours: 'Only the person who started it, or a moderator, can stop or continue it.',
    linkedBatch: (link: string) => `part of a bulk action: ${link}`,
  },
  buttons: { mute: 'Mute…', unmute: 'Unmute', block: 'Block…', unblock: 'Unblock' },
  usageTitle: (command: string) => `${command}: moderation`,
  usageBody: {
    mute: 'Mute accounts: `/im-mute <account ID…> <duration> <reason…>`. The duration is `30m`, `2h`, `7d`, `1w` … or `forever`; the account IDs come before it and the reason is everything after it. With no duration or reason, a form opens prefilled. Up to 1,000 accounts by default (more than 50 run in the background, with Stop); you confirm once before anything is sent, and the audit channel gets one message for the whole action.',
    unmute: 'Lift every mute of these accounts: `/im-unmute <account ID…>`. A confirmation opens first.',
    block: 'Block accounts: `/im-block <account ID…>` opens a form (reason, log them out of every device, a message to their devices).',
    unblock: 'Unblock accounts: `/im-unblock <account ID…>`. A confirmation opens first.',
  },
};

export type ModerationMessages = typeof moderationEn;
