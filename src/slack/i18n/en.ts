import { approvalEn } from './approval-en.js';
import { moderationEn } from './moderation-en.js';
import { rollbackEn } from './rollback-en.js';
import { undoEn } from './undo-en.js';

/**
 * English texts. The shape of this object is the catalog's type: zh-cn.ts must fill every key (the compiler and a
 * test check). Functions take values already formatted for where they go: untrusted values arrive escaped (mrkdwn)
 * or raw (plain_text), never the other way round.
 */

const s = (n: number, one: string, many: string) => (n === 1 ? one : many);

export const en = {
  common: {
    /** A label and its value on one line. */
    inline: (label: string, value: string) => `${label}: ${value}`,
    andMore: (n: number) => `…and ${n} more`,
    absent: '—',
    reference: (id: string) => `Reference: ${id}`,
    maskedNote: 'Email, mobile and birthday are masked.',
    revealedNote:
      'Only you can see this answer: email, mobile and birthday are shown in full because you may edit cards. Share cards with the button, which masks them.',
  },
  fields: {
    accid: 'Account ID',
    name: 'Nickname',
    icon: 'Avatar',
    sign: 'Signature',
    email: 'Email',
    mobile: 'Mobile',
    birth: 'Birthday',
    gender: 'Gender',
    ex: 'Extension (ex)',
    status: 'Status',
    globalMute: 'Global mute',
    serverId: 'QChat server ID',
    nick: 'Server nickname',
    avatar: 'Server avatar',
    custom: 'Custom data',
    role: 'Role',
    joined: 'Joined',
    membership: 'Membership',
    inviter: 'Invited by',
  },
  values: {
    genderUnknown: 'Not specified',
    genderMale: 'Male',
    genderFemale: 'Female',
    valid: 'Valid',
    blocked: 'Blocked',
    unknown: 'Unknown (not returned)',
    muted: 'Muted',
    notMuted: 'Not muted',
    empty: '(empty)',
    avatarAlt: (name: string) => `Avatar of ${name}`,
  },
  accidProblems: {
    empty: 'is empty',
    too_long: (max: number) => `is longer than ${max} characters`,
    bad_characters: 'may contain only letters, digits and _ @ . -',
  },
  lookup: {
    notFoundTitle: (n: number) => `Not found in NetEase (${n})`,
    invalidTitle: (n: number) => `Not valid account IDs (${n}), not looked up`,
    invalidGroup: (field: string, rule: string, n: number) => `*${field}* ${rule} (${n}):`,
    nothingToShow: 'No account was looked up.',
  },
  userCards: {
    summary: (found: number, notFound: number, invalid: number) =>
      `${found} ${s(found, 'account', 'accounts')} found${notFound > 0 ? `, ${notFound} not found` : ''}${invalid > 0 ? `, ${invalid} not valid` : ''}`,
    compactTitle: (n: number) => `${n} accounts found`,
    compactHint: 'More than 5 accounts: one line each. Look up 5 or fewer at a time for full cards with buttons.',
    notShown: (n: number) => `${n} more ${s(n, 'card does', 'cards do')} not fit in one message: look ${s(n, 'it', 'them')} up separately.`,
    buttonMuteStatus: 'Mute status',
    buttonShare: 'Share in channel',
    buttonEdit: 'Edit card',
    sharedBy: (mention: string) => `Shared by ${mention} · email, mobile and birthday are masked`,
    sharedFallback: (name: string, accid: string) => `User card of ${name} (${accid})`,
  },
  moderation: moderationEn,
  undo: undoEn,
  rollback: rollbackEn,
  approval: approvalEn,
  muteStatus: {
    title: 'Mute status',
    scopeGlobal: 'Global',
    scopeP2P: 'One-to-one',
    scopeTeam: 'Teams',
    scopeRoom: 'Chat rooms',
    scopeQChat: 'QChat',
    legend: ':no_entry: muted · :white_check_mark: not muted · :grey_question: unknown (NetEase did not say)',
    // Counted as "label: n of total" so that no verb has to agree with 0 or 1 (not "0 of 1 account are muted").
    summary: (muted: number, total: number) => `Muted somewhere: ${muted} of ${total} ${s(total, 'account', 'accounts')}`,
    blockedCount: (n: number) => `blocked: ${n}`,
    blocked: ':lock: Blocked: the account is disabled and cannot log in',
    notBlocked: 'Not blocked',
    mutedIn: (scopes: string) => `muted in ${scopes}`,
    notMuted: 'not muted',
    /** Follows the state directly, so it brings its own leading space. */
    unknownCount: (n: number) => ` (${n} unknown)`,
    scopeSeparator: ', ',
  },
  errors: {
    title: ':warning: That did not work',
    auditUnavailable:
      'The audit trail cannot record who looks at what right now, so nothing is shown. Tell whoever runs this app: the audit store (its file and disk, or its database) needs attention.',
    notFound: (code: number, desc: string) =>
      `NetEase says the account, server or item does not exist (code ${code}${desc ? `: ${desc}` : ''}). Check the ID and try again.`,
    rateLimited: (seconds: number) =>
      `NetEase is limiting how often this app may call it (rate limit). Nothing was sent. Try again in ${seconds} s.`,
    unavailable: (detail: string) =>
      `NetEase could not be reached (${detail}). Try again in a minute; if it keeps happening, tell whoever runs this app.`,
    transportTimeout: 'no answer in time',
    transportConnection: 'connection failed',
    transportHttpStatus: (status: string) => `gateway answered HTTP ${status}`,
    transportMalformed: 'the answer could not be read',
    auth: (code: number) =>
      `The app's NetEase credentials were rejected (code ${code}). This is not about what you typed: tell whoever runs this app (the NetEase app key and secret, or the server clock, need fixing).`,
    forbidden: (code: number) =>
      `NetEase refused the operation (code ${code}): the feature may not be enabled for this NetEase app (e.g. QChat), or moderation rejected the content. Change the content or ask whoever runs the NetEase app.`,
    tooLong: (code: number) => `NetEase says a value is too long (code ${code}). Shorten it and try again.`,
    badParameter: (code: number, desc: string) =>
      `NetEase rejected a parameter (code ${code})${desc ? `: ${desc}` : ''}. Check what you typed and try again.`,
    repeated: (code: number) => `NetEase says this was already done (code ${code}). Look the account up to check.`,
    overLimit: (code: number) => `NetEase says a quantity limit was reached (code ${code}). Try with fewer items.`,
    duplicate: (code: number) =>
      `NetEase saw this request as a repeat (code ${code}), so it was probably applied already. Look the account up to check before trying again.`,
    busy: (code: number) => `NetEase is busy or failing (code ${code}). Try again in a minute.`,
    otherApi: (code: number, desc: string) =>
      `NetEase refused the request (code ${code})${desc ? `: ${desc}` : ''}. If this keeps happening, tell whoever runs this app.`,
    unconfirmedNotApplied:
      "NetEase's answer was unclear, and reading the card back shows the change is *not* in place. Nothing changed: try again.",
    unconfirmedUnknown:
      "NetEase's answer was unclear and the app could not check whether the change was applied (QChat member cards cannot be read back). Check the account before trying again.",
    inputTitle: ':warning: Please check what you typed',
    inputLine: (field: string, rule: string) => `*${field}* ${rule}`,
    inputTyped: (value: string) => `(you typed ${value})`,
    unknown: (reference: string) =>
      `Something went wrong (reference ${reference}). Try again; if it keeps happening, tell whoever runs this app and quote the reference.`,
    unknownNoReference: 'Something went wrong. Try again; if it keeps happening, tell whoever runs this app.',
  },
  usage: {
    examplesTitle: 'Examples',
    imUserTitle: '/im-user: look up user cards',
    imUserBody:
      'Look up NetEase IM accounts by account ID. Separate IDs with spaces, commas or new lines. Up to 5 accounts show as full cards with buttons; more show as a compact list. People who may edit cards can type `/im-user edit <account ID>` (or use the Edit card button) to change one.',
    muteStatusTitle: '/im-mute-status: check mutes',
    muteStatusBody:
      'Shows for each account whether it is muted globally, in one-to-one chats, teams, chat rooms and QChat, and whether it is blocked.',
    qchatNickTitle: '/qchat-nick: set a QChat nickname',
    qchatNickBody:
      'Sets the nickname of an account inside one QChat server: `/qchat-nick <server ID> <account ID> <nickname>`. Everything after the account ID is the nickname, spaces included.',
    qchatMemberTitle: '/qchat-member: look up a QChat member card',
    qchatMemberBody:
      "Shows one account's member card in one QChat server: `/qchat-member <server ID> <account ID>`: nickname, avatar, owner or member, when they joined, whether still a member.",
    helpHint: 'Type the command with `help` to see this again.',
  },
  help: {
    everyCommand: 'Every im-admin command',
    needs: (who: string) => `Needs ${who}.`,
    anyMember: 'a full member account of this workspace (guests cannot use im-admin)',
    role: (role: string) => `the Slack role *${role}* or higher`,
    orGroups: (groups: string) => `, or membership of one of these user groups: ${groups}`,
    orListed: ', or being named by whoever runs this app',
    editOrModerate: (edit: string, moderate: string) => `permission to edit cards (${edit}) or to moderate (${moderate})`,
    commands: {
      imUser: { usage: '/im-user <account ID…>', summary: 'Look up user cards: up to 5 as full cards with buttons, more as a list.' },
      imUserEdit: { usage: '/im-user edit <account ID>', summary: "Edit one account's user card in a form." },
      imMuteStatus: { usage: '/im-mute-status <account ID…>', summary: 'Where each account is muted, and whether it is blocked.' },
      imAudit: {
        usage: '/im-audit <account ID | @person>',
        summary:
          "An account's changes, sanctions and refusals, or what one person did: newest first, 10 at a time. Who may edit and moderate can roll a person back from there.",
      },
      qchatNick: {
        usage: '/qchat-nick <server ID> <account ID> <nickname>',
        summary: "Set an account's nickname in one QChat server; with less typed, a form opens.",
      },
      qchatMember: {
        usage: '/qchat-member <server ID> <account ID>',
        summary: "Look up an account's member card in one QChat server.",
      },
      imMute: {
        usage: '/im-mute <account ID…> <duration> <reason>',
        summary: 'Mute up to 1,000 accounts everywhere or in some places, for 30m, 2h, 7d, 1w… or forever; confirmed once.',
      },
      imUnmute: { usage: '/im-unmute <account ID…>', summary: 'Lift every mute of these accounts (and cancel a timed lift).' },
      imBlock: { usage: '/im-block <account ID…>', summary: 'Block accounts, optionally logging them out of every device.' },
      imUnblock: { usage: '/im-unblock <account ID…>', summary: 'Unblock accounts.' },
    },
  },
  refusal: {
    title: ':no_entry_sign: Not permitted',
    guest: 'Guests of this workspace cannot use im-admin: it needs a full member account. Ask a workspace member.',
    single_channel_guest: 'Single-channel guests cannot use im-admin: it needs a full member account. Ask a workspace member.',
    bot: 'Bots and apps cannot use im-admin.',
    deactivated: 'This Slack account is deactivated, so it cannot use im-admin.',
    other_team:
      'im-admin serves only the workspace (and organisation) it is installed in, and your account belongs to another one. Ask someone of that workspace.',
    unknown_person:
      'Slack could not confirm who you are and what your role is just now, so im-admin refused to be safe. Try again in a minute.',
    below_read_role: (role: string) =>
      `Looking up accounts needs the Slack role *${role}* or higher, which you do not have. Ask someone with that role.`,
    not_a_writer: (role: string) => `Editing needs the Slack role *${role}* or higher`,
    notAWriterGroups: (groups: string) => `, or membership of one of these user groups: ${groups}`,
    notAWriterEnd: '. You have neither, so nothing was changed. Ask someone who has, or ask whoever runs this app to add you.',
    /** The end when only the role is named (no user group grants it): "neither" would count two things. */
    notAWriterEndRoleOnly: '. You do not have it, so nothing was changed. Ask someone who has, or ask whoever runs this app to add you.',
    not_a_moderator: (role: string) => `Muting and blocking needs the Slack role *${role}* or higher`,
    protected_account: (accids: string) =>
      `${accids} may never be muted or blocked from Slack (IM_PROTECTED_ACCIDS: staff, bots, the QChat operator), so nothing was sent for any account. Leave them out, or ask whoever runs this app.`,
    tampered_submission: 'This form came back changed, or from someone other than who opened it, so nothing was saved. Open it again.',
    roleMember: 'member',
    roleAdmin: 'workspace admin',
    roleOwner: 'workspace owner',
    rolePrimaryOwner: 'primary owner',
  },
  serverMember: {
    saved: 'NetEase saved the QChat member card. This is the card as NetEase returned it.',
    owner: 'Owner',
    member: 'Member',
    stillMember: 'Still a member',
    noLongerMember: 'No longer a member',
    fallback: (nick: string, serverId: string) => `QChat member card of ${nick} in server ${serverId}`,
    current: 'The QChat member card as NetEase has it now.',
    changes: 'What changed (before → after):',
    notMember: (accid: string, serverId: string) =>
      `${accid} is not a member of QChat server ${serverId} (NetEase says so), so nothing was changed.`,
    notReached: (accid: string, serverId: string, scanned: number) =>
      `${accid} was not among the ${scanned} newest members of QChat server ${serverId}, and the server has more: im-admin cannot read that member card.`,
    notMemberLookup: (accid: string, serverId: string) => `${accid} is not a member of QChat server ${serverId}.`,
  },
  updateResult: {
    title: (accid: string) => `Card updated: ${accid}`,
    saved: 'NetEase saved these changes:',
    confirmedByReadBack: "NetEase's answer was unclear, so the card was read back: the change is in place.",
    noChange: 'Every value was already as requested: nothing changed.',
    unchanged: '(unchanged)',
    fallback: (accid: string, fields: string) => `Card of ${accid} updated: ${fields}`,
  },
  audit: {
    title: (action: string) => `Audit · ${action}`,
    refusedTitle: (action: string) => `Audit · refused: ${action}`,
    refusedTimes: (times: number, last: string) => `Refused *${times} times* within a minute, the same way; the last at ${last}.`,
    refusedAccounts: (n: number, list: string) => `*The ${n} accounts it named*\n${list}`,
    actionUpdateUserCard: 'User card update',
    actionQchatUpdateMember: 'QChat member card update',
    actionMute: 'Mute',
    actionUnmute: 'Unmute',
    actionBlock: 'Block',
    actionUnblock: 'Unblock',
    actionRollback: 'Rollback',
    /** A rollback's entry: whose changes, and how many since when. */
    rollbackOf: 'Changes of',
    rollbackSpan: (changes: number, accounts: number, since: string) =>
      `${changes} ${changes === 1 ? 'change' : 'changes'} over ${accounts} ${accounts === 1 ? 'account' : 'accounts'} since ${since}`,
    who: 'Who',
    command: 'Command',
    outcome: 'Outcome',
    reason: 'Reason',
    changes: 'Changes',
    refused: ':no_entry_sign: Refused',
    status: {
      applied: ':white_check_mark: Applied',
      applied_confirmed_by_read_back: ':white_check_mark: Applied (confirmed by reading the card back)',
      failed: ':x: Failed',
      not_applied: ':x: Not applied',
      unknown: ':grey_question: Outcome unknown',
    },
    recovered: 'The app stopped during this update; read back at restart:',
    readBack: { in_place: 'change in place', not_in_place: 'change not in place', unknown: 'could not be verified' },
    nimCode: (code: number) => `NetEase code ${code}`,
    notRead: '(not read)',
    /** NetEase's sanction flags as people say them; `valid` is shown the other way round, as Blocked. */
    flagNames: {
      mute: 'Muted everywhere',
      muteP2P: 'Muted in one-to-one chats',
      muteTeam: 'Muted in teams',
      muteRoom: 'Muted in chat rooms',
      muteQChat: 'Muted in QChat',
      valid: 'Blocked',
    },
    yes: 'yes',
    no: 'no',
    correlation: (id: string) => `Correlation ID: ${id}`,
    chainHead: (count: number, hash: string, id: string | undefined) =>
      `Audit chain head: ${count} records${id ? `, the newest ${id}` : ''}, SHA-256 ${hash}. While the trail holds every record up to here, \`npm run audit -- verify --head ${count}:${hash}\` says so.`,
    fallbackUpdate: (actor: string, action: string, accid: string, status: string) => `Audit: ${action} of ${accid} by ${actor}: ${status}`,
    fallbackRefusal: (actor: string, action: string, accid: string) => `Audit: refused ${action} of ${accid} for ${actor}`,
    refusal: {
      guest: 'A workspace guest tried it; guests may not use im-admin.',
      single_channel_guest: 'A single-channel guest tried it; guests may not use im-admin.',
      bot: 'A bot or app tried it.',
      deactivated: 'A deactivated Slack account tried it.',
      other_team: 'Someone of another Slack workspace or organisation tried it.',
      unknown_person: 'Slack could not confirm who this was or their role (refused to be safe).',
      tampered_submission: 'The form came back changed, or from someone other than who opened it.',
      below_read_role: (role: string) => `Looking up needs the role *${role}* or higher.`,
      not_a_writer: (role: string, groups: string) =>
        `Editing needs the role *${role}* or higher${groups ? `, or membership of one of these user groups: ${groups}` : ''}.`,
      not_a_moderator: (role: string, groups: string) =>
        `Moderating needs the role *${role}* or higher${groups ? `, or membership of one of these user groups: ${groups}` : ''}.`,
      protected_account: (accids: string) => `Protected account(s) ${accids} (IM_PROTECTED_ACCIDS); nothing was sent.`,
    },
  },
  auditHistory: {
    titleAccount: (accid: string) => `*Audit history* of account ${accid}`,
    titlePerson: (person: string) => `*Audit history* of what ${person} did`,
    empty: 'Nothing recorded: no changes, sanctions or refusals.',
    inFlight: ':hourglass_flowing_sand: In progress, or not yet settled',
    account: 'Account',
    shown: (count: number) => `Newest first · ${count} shown`,
    more: 'More',
    usage:
      'Type `/im-audit <account ID>` for the changes, sanctions and refusals about one account, or `/im-audit @person` for what one Slack person did.',
    notPermitted: 'The audit history is for people who may edit cards or moderate accounts, which you may not. Ask someone who may.',
    notAMention: (typed: string) =>
      `${typed} reached the app as text, not as a Slack person. Type @ and pick the person from the list Slack shows, then send; or give an account ID without @.`,
  },
  modal: {
    loadingTitle: 'im-admin',
    loading: ':hourglass_flowing_sand: Checking your permission and reading from NetEase…',
    save: 'Save',
    cancel: 'Cancel',
    close: 'Close',
    refusedTitle: 'Not permitted',
    errorTitle: 'Could not open',
    alreadyDoneTitle: 'Already done',
    optional: 'optional',
    limitChars: (max: number) => `Up to ${max} characters.`,
    limitBytes: (max: number) => `Up to ${max} bytes (UTF-8).`,
  },
  editCard: {
    title: 'Edit user card',
    intro: (accid: string) =>
      `Editing the NetEase user card of ${accid}. Only the fields you change are sent to NetEase; the others stay as they are.`,
    emptyClears: 'Empty the field to clear it on the card.',
    birthHint: 'Free text, e.g. 1990-01-31.',
    mobileHint: 'Outside mainland China add the country code, e.g. +852-xxxxxxxx.',
    exHint: 'Free-form extension data; JSON is recommended.',
    genderHint: 'Choose "Not specified" to clear it.',
    revealedNote: 'Email, mobile and birthday are shown in full because you may edit cards. Only you see this form.',
    notFound: (accid: string) => `NetEase has no account ${accid}, so there is nothing to edit.`,
    nothingChanged: (accid: string) => `You did not change any field of ${accid}, so nothing was sent to NetEase.`,
    usage: 'To edit a card, type `/im-user edit <account ID>` with one account ID.',
    conflictIntro:
      ':warning: *Someone else changed this card since you opened the form, so nothing was saved.* For each field marked below, keep their value or overwrite it with yours, then save again.',
    conflictNote: (theirs: string, yours: string) => `Changed meanwhile to ${theirs}. Yours (in the field): ${yours}.`,
    conflictChoice: 'Their change or yours?',
    keepTheirs: 'Keep theirs',
    overwriteMine: 'Overwrite with mine',
    conflictChoiceMissing: 'Choose Keep theirs or Overwrite with mine: nothing is saved until you do.',
    conflictLater: (accid: string) =>
      `Nothing was saved: someone else changed the card of ${accid} since you opened the form, on fields you changed too. Open the form again (\`/im-user edit\`) to see their values and choose.`,
  },
  qchatNick: {
    conflictIntro:
      ':warning: *Someone else changed this nickname since you opened the form, so nothing was saved.* Keep their nickname or overwrite it with yours, then save again.',
    unchanged: 'Nothing was sent: the nickname stays as it is now and nothing else was filled in.',
    conflictLater: (accid: string, serverId: string) =>
      `Nothing was saved: someone else changed the nickname of ${accid} in server ${serverId} since you opened the form. Open it again (\`/qchat-nick <server ID> <account ID>\`) to see theirs and choose.`,
    title: 'Set QChat nickname',
    intro: "Changes an account's member card in one QChat server. Empty fields are left as they are.",
    keepHint: 'Leave it empty to keep it as it is.',
    serverIdHint: 'Digits only, e.g. 1513535.',
    nothingToSet: 'Fill in at least one of nickname, avatar or custom data.',
    noSuchServer: (serverId: string, code: number, desc: string) =>
      `NetEase has no QChat server ${serverId} (code ${code}${desc ? `: ${desc}` : ''}). Check the server ID and try again.`,
    notAMember: (accid: string, serverId: string, code: number, desc: string) =>
      `${accid} is not a member of QChat server ${serverId} (code ${code}${desc ? `: ${desc}` : ''}). Check the account ID, or whether the account left that server.`,
  },
  fieldProblems: {
    tooLongChars: (max: number, size: number) => `At most ${max} characters (this is ${size}).`,
    tooLongBytes: (max: number, size: number) => `At most ${max} bytes in UTF-8 (this is ${size}).`,
    gender: 'Choose one of: Not specified, Male, Female.',
    serverId: 'Must be a whole number from 1 to 18446744073709551615, digits only.',
    accid: (problem: string) => `The account ID ${problem}.`,
    required: 'Required.',
  },
  once: {
    alreadyDone: (reference: string) =>
      `Already done: this request was received before and acted on once (reference ${reference}). Nothing was sent again.`,
    inFlight: 'The first one is still in progress; its result will follow.',
    refused: 'The first one was refused.',
    outcomeUnknown: 'Its result is in the audit trail.',
    auditLink: (url: string) => `<${url}|Its audit entry>`,
    auditPending: 'Its audit entry is on its way to the audit channel.',
  },
  write: {
    auditLogFailed:
      'The audit trail could not record this change, so nothing was sent to NetEase and nothing changed. Tell whoever runs this app: the audit store (its file and disk, or its database) needs attention.',
    savedElsewhere: 'This answer is a direct message because it could not be shown in the channel where you started.',
  },
};
