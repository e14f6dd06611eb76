import type { UndoPreparation } from '../../undo/prepare.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { auditTime } from '../ui/audit-labels.js';
import type { SlackMessage } from '../ui/message.js';
import { actorMention, section } from '../ui/text.js';

/** Why there is nothing to confirm: undone already, not undoable, the account gone, or already as before. */
export function preparationNotice(locale: Locale, prep: UndoPreparation): SlackMessage {
  const u = messages(locale).undo;
  const text = (() => {
    switch (prep.kind) {
      case 'unknown_entry':
        return u.unknownEntry;
      case 'not_undoable':
        return u.notUndoable[prep.why];
      case 'undone':
        return u.alreadyUndone(actorMention(prep.by.actor), auditTime(prep.by.at));
      case 'not_found':
        return u.accountGone;
      case 'not_reached':
        return u.notReached;
      case 'checked':
        return u.alreadyAsBefore;
    }
  })();
  return note(text);
}

export function note(text: string): SlackMessage {
  return { text: text.replace(/[*`]/g, ''), blocks: [section(text)] };
}
