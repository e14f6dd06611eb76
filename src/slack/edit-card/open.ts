import type { AllMiddlewareArgs, App, BlockButtonAction, RespondFn, SlackCommandMiddlewareArgs, webApi } from '@slack/bolt';
import { z } from 'zod';
import { recordLookup } from '../../audit/index.js';
import { noteFailure, noteOutcome, trackCommand, tracked } from '../../metrics/outcome.js';
import { accidProblem } from '../../nim/accid.js';
import { InputError } from '../../errors.js';
import { userCardChangeFields } from '../../nim/types.js';
import { actionIds } from '../ids.js';
import { renderError } from '../ui/errors.js';
import { code, section } from '../ui/text.js';
import { messages } from '../i18n/catalog.js';
import type { AppLogger } from '../../logger.js';
import { unescapeSlackText } from '../ui/mrkdwn.js';
import { modalButtonPayload, slackUserId } from '../interaction/payloads.js';
import { answer } from '../interaction/reply.js';
import { noticeView } from '../ui/modal.js';
import { cardEditNeedsApproval } from './approval-kind.js';
import { editCardView, prefillGender, prefillText } from './view.js';
import { editCardMetadata, type EditCardMetadata } from '../interaction/modal-metadata.js';
import { sealMetadata, valueDigest } from '../interaction/sealed-metadata.js';
import { localeOf, openGuardedModal } from '../interaction/admit.js';
import { firstTime } from '../interaction/once.js';
import { type WriteDeps } from '../interaction/deps.js';
import { updateModal } from '../interaction/modal-reply.js';
import { requestOf } from '../interaction/request-context.js';

/**
 * Opening the "Edit user card" modal, from the card's button or `/im-user edit <accid>`: the modal opens at once with
 * a loading view (the trigger id lasts 3 s), then the write permission is checked (a refusal is audited and shown in
 * the modal, and NetEase is not called), the card is read, and the form replaces the loading view.
 */

export type EditCardStart = {
  userId: string;
  /** Where the person started: the result of the submission is shown there. */
  channelId: string | undefined;
  triggerId: string;
  /** As typed or carried by the button: validated here. */
  accid: string;
  /** How the person asked, for the audit trail. */
  command: string;
  /** Tells the person when the modal could not even open. */
  respond: RespondFn;
  client: webApi.WebClient;
  correlationId: string;
  log: AppLogger;
};

export async function openEditCard(deps: WriteDeps, start: EditCardStart): Promise<void> {
  const { log, client } = start;
  const target = { accid: start.accid === '' ? '(none)' : start.accid.slice(0, 128) };
  const attempt = { action: 'update_user_card' as const, command: start.command, target, id: start.correlationId };
  const opened = await openGuardedModal(deps, { ...start, attempt });
  if (!opened) return;
  const { viewId } = opened;
  const { locale } = opened.admitted;
  const showError = (error: unknown) => {
    noteFailure(error);
    return updateModal(
      client,
      viewId,
      noticeView(locale, 'error', renderError(error, { locale, correlationId: start.correlationId })),
      log,
    );
  };

  const problem = accidProblem(start.accid);
  if (problem !== undefined) {
    await showError(new InputError('accid', problem, start.accid));
    return;
  }
  // A replayed click or command (its trigger id seen before) opens nothing new and reads nothing.
  const first = await firstTime(deps.trail, { kind: 'trigger', triggerId: start.triggerId }, start.correlationId, {
    locale,
    log,
    deliver: (message) => updateModal(client, viewId, noticeView(locale, 'already_done', message), log),
  });
  if (!first) return;
  let card;
  try {
    card = (await deps.nim.getUinfos([start.accid], { correlationId: start.correlationId })).found[0];
    if (card)
      await recordLookup(deps.trail, { id: start.correlationId, actor: start.userId, command: start.command, accids: [card.accid] });
  } catch (error) {
    log.error({ err: error }, 'reading the card to edit failed');
    await showError(error);
    return;
  }
  if (!card) {
    noteOutcome('not_found');
    const m = messages(locale);
    const text = m.editCard.notFound(code(start.accid, 64));
    await updateModal(client, viewId, noticeView(locale, 'error', { text, blocks: [section(text)] }), log);
    return;
  }
  const prefill = Object.fromEntries(
    userCardChangeFields.map((field) => [
      field,
      valueDigest(deps.metadataKey, field === 'gender' ? String(prefillGender(card)) : prefillText(card, field)),
    ]),
  ) as EditCardMetadata['prefill'];
  const metadata: EditCardMetadata = {
    kind: 'edit_card',
    viewId,
    user: start.userId,
    ...(start.channelId ? { channel: start.channelId } : {}),
    accid: card.accid,
    locale,
    prefill,
  };
  const privateMetadata = sealMetadata(deps.metadataKey, editCardMetadata.parse(metadata));
  await updateModal(client, viewId, editCardView({ card, locale, privateMetadata, needsApproval: cardEditNeedsApproval(deps) }), log);
  log.info({ accid: card.accid, viewId }, 'edit card modal filled in');
}

/** "Edit card" on a user card (shown only to people who may edit; checked again here anyway). */
export function registerEditCardButton(app: App, deps: WriteDeps): void {
  app.action<BlockButtonAction>(
    actionIds.edit,
    tracked(deps.metrics, `button:${actionIds.edit}`, async ({ ack, body, respond, client, context }) => {
      await ack();
      const { correlationId, log } = requestOf(context);
      const payload = modalButtonPayload.safeParse(body);
      if (!payload.success) {
        log.warn({ issues: payload.error.issues }, 'unreadable edit button payload');
        noteOutcome('input_error');
        return;
      }
      const { data } = payload;
      await openEditCard(deps, {
        userId: data.user.id,
        channelId: data.channel?.id ?? data.container?.channel_id,
        triggerId: data.trigger_id,
        accid: data.actions[0]!.value ?? '',
        command: 'Edit card button',
        respond,
        client,
        correlationId,
        log,
      });
    }),
  );
}

const editCommandPayload = z.object({
  user_id: slackUserId,
  text: z.string().max(10_000),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1).max(255),
});

const EDIT_WORD = /^\s*edit(?:\s+([\s\S]*))?$/i;

/** `/im-user edit <accid>`: takes `/im-user` over when its text starts with `edit`, and opens the edit modal. */
export function imUserEditSubcommand(deps: WriteDeps) {
  return async ({ command, ack, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<boolean> => {
    const match = EDIT_WORD.exec(unescapeSlackText(command.text ?? ''));
    if (!match) return false;
    await ack();
    const { correlationId, log: requestLog } = requestOf(context);
    const log = requestLog.child({ command: '/im-user edit' });
    await trackCommand(deps.metrics, '/im-user edit', () => editCommand(deps, { command, match, respond, client, correlationId, log }));
    return true;
  };
}

async function editCommand(
  deps: WriteDeps,
  input: {
    command: SlackCommandMiddlewareArgs['command'];
    match: RegExpExecArray;
    respond: RespondFn;
    client: webApi.WebClient;
    correlationId: string;
    log: AppLogger;
  },
): Promise<void> {
  const { command, match, respond, client, correlationId, log } = input;
  const payload = editCommandPayload.safeParse(command);
  const words = (match[1] ?? '').split(/[\s,，、]+/u).filter(Boolean);
  if (!payload.success || words.length !== 1) {
    noteOutcome('input_error');
    const locale = payload.success ? await localeOf(deps, payload.data.user_id) : 'en';
    const text = messages(locale).editCard.usage;
    await answer(respond, { text, blocks: [section(text)] }, log);
    return;
  }
  await openEditCard(deps, {
    userId: payload.data.user_id,
    channelId: payload.data.channel_id,
    triggerId: payload.data.trigger_id,
    accid: words[0]!,
    command: '/im-user edit',
    respond,
    client,
    correlationId,
    log,
  });
}
