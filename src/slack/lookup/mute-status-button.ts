import type { App } from '@slack/bolt';
import { actionIds } from '../ids.js';
import { renderMuteStatus } from './mute-status.js';
import { mayModerate, sanctionsShown } from './answer-lookup.js';
import type { LookupDeps } from './deps.js';
import { answer } from '../interaction/reply.js';
import { registerCardButton } from './card-button.js';

/** "Mute status" on a card: that account's mutes, ephemeral, below the card (the card stays). */
export function registerMuteStatusButton(app: App, deps: LookupDeps): void {
  registerCardButton(app, deps, actionIds.muteStatus, async ({ accid, reader, respond, correlationId, log }) => {
    const lookup = await deps.nim.getUinfos([accid], { muteStatus: true, correlationId, allowCached: true });
    const canModerate = await mayModerate(deps, reader.person.id);
    const sanctions = await sanctionsShown(deps, lookup, log);
    await answer(
      respond,
      renderMuteStatus({ lookup, invalid: [], locale: reader.locale, canModerate, ...(sanctions ? { sanctions } : {}) }),
      log,
    );
  });
}
