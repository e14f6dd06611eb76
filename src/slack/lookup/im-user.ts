import type { App } from '@slack/bolt';
import { renderUserCards } from './user-cards.js';
import { registerLookupCommand, type LookupDeps, type LookupSpec } from './lookup-command.js';

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
    render: ({ lookup, invalid, locale, reveal, canModerate, sanctions, withImages }) =>
      renderUserCards({
        lookup,
        invalid,
        locale,
        reveal,
        canEdit: reveal && deps.writeEnabled === true,
        canModerate,
        ...(sanctions ? { sanctions } : {}),
        withImages,
      }),
    ...(edit ? { intercept: edit } : {}),
  });
}
