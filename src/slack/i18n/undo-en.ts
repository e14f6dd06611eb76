/** The undo texts, English: the reference shape for undo-zh-cn.ts. */
export const undoEn = {
  button: 'Undo',
  title: 'Undo a change',
  submit: 'Undo',
  doneTitle: 'Undone',
  /** `what` is the action's label, `accid` and `who` already escaped. */
  intro: (what: string, accid: string, who: string, at: string) => `*Undo* ${what} of ${accid} by ${who} at ${at}`,
  willSet: 'This will set:',
  setLine: (field: string, now: string, undo: string) => `• ${field}: ${now} → *${undo}*`,
  remuteFor: (minutes: number) => `The mute lasts ${minutes} min (what the lifted mute had left) and lifts itself then.`,
  remuteForever: 'The mute has no end: the lifted one had no time left to restore.',
  changedSince: 'Someone changed this since. Nothing is sent for a field unless you choose to overwrite it.',
  undoes: (id: string) => `Undoes ${id}`,
  undoneBy: (who: string, at: string, id: string) => `:leftwards_arrow_with_hook: Undone by ${who} at ${at} (${id})`,
  alreadyUndone: (who: string, at: string) => `Already undone by ${who} at ${at}. Undo that undo to redo it.`,
  alreadyAsBefore: 'Nothing to undo: the account already is as it was before that change.',
  keptTheirs: 'Nothing sent: you kept what is there now.',
  changedAgain: 'It changed again since you opened this, so nothing was sent. Click Undo again to see it as it is now.',
  notUndoable: {
    refusal: 'A refusal changed nothing: there is nothing to undo.',
    not_applied: 'That change did not happen (it failed, or its outcome is unknown): there is nothing to undo.',
    before_unknown: 'The value before that change was not read (a very large QChat server), so it cannot be restored.',
    nothing_set: 'That change set nothing an undo can restore.',
  },
  unknownEntry: 'That audit entry is not in the audit trail.',
  /** At an approval: the undo would mute or block a protected account (`accid` already escaped; ends with a full stop). */
  protectedNow: (accid: string) => `${accid} is a protected account (IM_PROTECTED_ACCIDS): it is never muted or blocked from Slack.`,
  accountGone: 'The account (or its membership of that QChat server) is gone: nothing to undo.',
  notReached: 'The member could not be found among those the app can scan in that QChat server: nothing sent.',
  done: (accid: string, id: string) => `Undone for ${accid}. Audit entry ${id}.`,
  failed: 'The undo was not applied.',
  /** Under IM_APPROVAL_FOR, why an approved undo was not sent: `values` is each value as requested → as it is now. */
  movedSince: (values: string) => `the account changed since the undo was requested (${values}). Click Undo again to see it as it is now.`,
};
