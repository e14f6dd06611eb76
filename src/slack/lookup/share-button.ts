import type { App } from '@slack/bolt';
import type { LookupDeps } from './deps.js';
import { actionIds } from '../ids.js';
import { renderSharedCard, renderUserCards } from './user-cards.js';
import { answer } from '../interaction/reply.js';
import { registerCardButton, type CardClick } from './card-button.js';

/**
 * "Share in channel" on a card: posts the card, freshly read and masked, in the channel for everyone
 * (chat.postMessage; chat:write.public covers public channels the bot is not in).
 */
export function registerShareButton(app: App, deps: LookupDeps): void {
  registerCardButton(app, deps, actionIds.share, async (click) => {
    const { accid, reader, respond, correlationId, log } = click;
    const lookup = await deps.nim.getUinfos([accid], { correlationId, allowCached: true });
    if (!click.channelId) throw new Error('Slack did not say which channel the card was shown in');
    const card = lookup.found[0];
    if (!card) {
      // Gone since the card was shown: say so instead of sharing a stale card.
      await answer(respond, renderUserCards({ lookup, invalid: [], locale: reader.locale, reveal: false, canEdit: false }), log);
      return;
    }
    await post(click, (withImages) => renderSharedCard({ card, sharedBy: click.userId, locale: reader.locale, withImages }));
    log.info({ accid, channelId: click.channelId }, 'card shared');
  });
}

async function post(click: CardClick, render: (withImages: boolean) => ReturnType<typeof renderSharedCard>): Promise<void> {
  const channel = click.channelId!;
  try {
    await click.client.chat.postMessage({ channel, ...render(true) });
  } catch (error) {
    // An avatar Slack could not fetch invalidates the whole message: try once without images.
    if (!isSlackError(error, 'invalid_blocks')) throw error;
    click.log.warn({ err: error }, 'shared card refused with images; posting without');
    await click.client.chat.postMessage({ channel, ...render(false) });
  }
}

function isSlackError(error: unknown, code: string): boolean {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return data?.error === code;
}
