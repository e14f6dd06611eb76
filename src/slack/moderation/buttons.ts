import type { App, BlockButtonAction } from '@slack/bolt';
import { noteOutcome, tracked } from '../../metrics/outcome.js';
import type { SanctionKind } from '../../moderation/sanction.js';
import { moderationActionIds } from '../ids.js';
import { modalButtonPayload } from '../interaction/payloads.js';
import type { WriteDeps } from '../interaction/deps.js';
import { openModeration } from './open.js';
import { requestOf } from '../interaction/request-context.js';

const buttonNames: Record<SanctionKind, string> = {
  mute: 'Mute… button',
  unmute: 'Unmute button',
  block: 'Block… button',
  unblock: 'Unblock button',
};

/**
 * Mute…, Unmute, Block…, Unblock on a card and on the mute-status answer (shown only to moderators; checked again
 * here anyway). Mute… and Block… open the form for that account; Unmute and Unblock go straight to the confirmation.
 * The accid comes back from the client: openModeration re-validates it.
 */
export function registerModerationButtons(app: App, deps: WriteDeps): void {
  for (const [kind, actionId] of Object.entries(moderationActionIds) as [SanctionKind, string][]) {
    app.action<BlockButtonAction>(
      actionId,
      tracked(deps.metrics, `button:${actionId}`, async ({ ack, body, respond, client, context }) => {
        await ack();
        const { correlationId, log } = requestOf(context);
        const payload = modalButtonPayload.safeParse(body);
        if (!payload.success) {
          log.warn({ issues: payload.error.issues }, 'unreadable moderation button payload');
          noteOutcome('input_error');
          return;
        }
        const { data } = payload;
        const accid = data.actions[0]!.value ?? '';
        await openModeration(deps, {
          kind,
          userId: data.user.id,
          channelId: data.channel?.id ?? data.container?.channel_id,
          triggerId: data.trigger_id,
          command: buttonNames[kind],
          prefill: { accids: accid === '' ? [] : [accid] },
          confirm: kind === 'unmute' || kind === 'unblock',
          respond,
          client,
          correlationId,
          log,
        });
      }),
    );
  }
}
