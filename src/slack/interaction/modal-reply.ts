import type { webApi } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { context } from '../ui/text.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { AppLogger } from '../../logger.js';
import type { SlackMessage } from '../ui/message.js';

/**
 * How a form answers: open a modal and fill it later, and answer a modal's submission (which has no response_url)
 * ephemerally in the channel where the person started, or by DM. Who may do what is admit.ts's.
 */

/** Opens a modal with `view` (a trigger id is single-use and lasts 3 s). Returns the view id Slack gave it. */
export async function openModal(client: webApi.WebClient, triggerId: string, view: ModalView): Promise<string> {
  const answer = await client.views.open({ trigger_id: triggerId, view });
  const id = answer.view?.id;
  if (!id) throw new Error('views.open answered without a view id');
  return id;
}

/** Replaces an open modal. Failures (the person closed it meanwhile) are logged, not thrown. */
export async function updateModal(client: webApi.WebClient, viewId: string, view: ModalView, log: AppLogger): Promise<boolean> {
  try {
    await client.views.update({ view_id: viewId, view });
    return true;
  } catch (error) {
    log.warn({ err: error, viewId }, 'views.update failed (the modal may have been closed)');
    return false;
  }
}

/** Where the answer to a modal goes: the channel it was opened from (ephemeral), else a DM. */
export type AnswerPlace = { userId: string; channelId?: string | undefined; locale: Locale };

/**
 * Tells the person the result of a modal: chat.postEphemeral in the channel where they started, or, when there is
 * none or Slack refuses it (the bot is not in that channel, a DM with someone else), a DM from the bot. Each is tried
 * again without images when Slack could not fetch one. Returns false when nothing could be delivered (logged).
 */
export async function tellPerson(
  client: webApi.WebClient,
  place: AnswerPlace,
  render: (withImages: boolean) => SlackMessage,
  log: AppLogger,
): Promise<boolean> {
  if (place.channelId) {
    const channel = place.channelId;
    const sent = await withImageFallback(render, (message) => client.chat.postEphemeral({ channel, user: place.userId, ...message }), log);
    if (sent) return true;
  }
  const note = context(messages(place.locale).write.savedElsewhere);
  const dm = (withImages: boolean): SlackMessage => {
    const message = render(withImages);
    return place.channelId ? { ...message, blocks: [...message.blocks.slice(0, 49), note] } : message;
  };
  const sent = await withImageFallback(dm, (message) => client.chat.postMessage({ channel: place.userId, ...message }), log);
  if (!sent) log.error({ userId: place.userId }, 'could not deliver the answer to a modal, neither in the channel nor by DM');
  return sent;
}

async function withImageFallback(
  render: (withImages: boolean) => SlackMessage,
  send: (message: SlackMessage) => Promise<unknown>,
  log: AppLogger,
): Promise<boolean> {
  try {
    await send(render(true));
    return true;
  } catch (error) {
    if (slackError(error) !== 'invalid_blocks') {
      log.warn({ err: error }, 'Slack refused an answer');
      return false;
    }
  }
  try {
    await send(render(false));
    return true;
  } catch (error) {
    log.warn({ err: error }, 'Slack refused an answer without images too');
    return false;
  }
}

function slackError(error: unknown): unknown {
  return (error as { data?: { error?: unknown } } | undefined)?.data?.error;
}
