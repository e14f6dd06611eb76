import type { App } from '@slack/bolt';
import type { SlackMessage } from '../ui/message.js';
import type { RenderInput } from './answer-lookup.js';
import type { LookupDeps } from './deps.js';
import { renderUserCards } from './user-cards.js';
import { registerLookupCommand, type LookupSpec } from './lookup-command.js';

/**
 * `/im-user <accid…>`: user cards, ephemeral. Email, mobile and birthday are shown in full only to people who may
 * change cards; everyone else sees them masked, and only they get "Edit card" (when updates are wired).
 * `/im-user edit <accid>` opens the edit modal instead (`edit`: the edit-card feature's imUserEditSubcommand, wired by listeners.ts).
 */
export function registerImUser(app: App, deps: LookupDeps, edit?: LookupSpec['intercept']): void {
  registerLookupCommand(app, deps, {
    command: '/im-user',
    muteStatus: false,
    revealToWriters: true,
    render: imUserCards(deps),
    ...(edit ? { intercept: edit } : {}),
  });
}

/** `/im-user`'s answer, also the shortcut's and the Home's: the cards, "Edit card" for who may change them (when updates are wired). */
export function imUserCards(deps: Pick<LookupDeps, 'writeEnabled'>): (input: RenderInput) => SlackMessage {
  return (input) => renderUserCards({ ...input, canEdit: input.reveal && deps.writeEnabled === true });
}
