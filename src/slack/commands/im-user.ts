import type { App } from '@slack/bolt';
import { renderUserCards } from '../blocks/user-cards.js';
import type { ReadDeps } from '../reader.js';
import { registerLookupCommand } from './lookup-command.js';

/**
 * `/im-user <accid…>`: user cards, ephemeral. Email, mobile and birthday are shown in full only to people who may
 * change cards; everyone else sees them masked. "Edit card" arrives with the update issue (canEdit false for now).
 */
export function registerImUser(app: App, deps: ReadDeps): void {
  registerLookupCommand(app, deps, {
    command: '/im-user',
    muteStatus: false,
    revealToWriters: true,
    render: ({ lookup, invalid, locale, reveal, withImages }) =>
      renderUserCards({ lookup, invalid, locale, reveal, canEdit: false, withImages }),
  });
}
