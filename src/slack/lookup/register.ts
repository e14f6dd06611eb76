import type { App } from '@slack/bolt';
import { registerImMuteStatus } from './im-mute-status.js';
import { registerImUser } from './im-user.js';
import type { LookupDeps } from './deps.js';
import type { LookupSpec } from './lookup-command.js';
import { registerMuteStatusButton } from './mute-status-button.js';
import { registerShareButton } from './share-button.js';
import { registerHomeLookupBox } from './home-lookup-box.js';
import { registerLookupShortcut } from './message-shortcut.js';

/**
 * Looking people up: `/im-user`, `/im-mute-status`, the card's "Mute status" and "Share in channel" buttons, the
 * message shortcut Look up IM accounts, and the App Home's lookup box (answered in the app's messages).
 * `editSubcommand` (`/im-user edit <accid>`, from the edit-card feature, when updates are wired) takes `/im-user`
 * over when it recognises its text.
 */
export function register(app: App, deps: LookupDeps, editSubcommand?: LookupSpec['intercept']): void {
  registerImUser(app, deps, editSubcommand);
  registerImMuteStatus(app, deps);
  registerMuteStatusButton(app, deps);
  registerShareButton(app, deps);
  registerLookupShortcut(app, deps, deps.accidPattern);
  registerHomeLookupBox(app, deps);
}
