import type { App } from '@slack/bolt';
import { renderMuteStatus } from './mute-status.js';
import type { LookupDeps } from './deps.js';
import { registerLookupCommand } from './lookup-command.js';

/** `/im-mute-status <accid…>`: where each account is muted (looked up with muteStatus=true), ephemeral. */
export function registerImMuteStatus(app: App, deps: LookupDeps): void {
  registerLookupCommand(app, deps, {
    command: '/im-mute-status',
    muteStatus: true,
    revealToWriters: false,
    render: ({ lookup, invalid, locale, canModerate, sanctions }) =>
      renderMuteStatus({ lookup, invalid, locale, canModerate, ...(sanctions ? { sanctions } : {}) }),
  });
}
