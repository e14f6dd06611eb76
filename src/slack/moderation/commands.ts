import type { App } from '@slack/bolt';
import { InputError } from '../../errors.js';
import { noteOutcome, trackCommand } from '../../metrics/outcome.js';
import { cleanReason, REASON_MAX, type SanctionKind } from '../../moderation/sanction.js';
import { section } from '../ui/text.js';
import { modalCommandPayload, readCommandPayload } from '../interaction/payloads.js';
import { localeOf } from '../interaction/admit.js';
import { answerHelp } from '../help/answer.js';
import { messages } from '../i18n/catalog.js';
import { moderationProblemText } from './problems.js';
import { answer, yieldAfterAck } from '../interaction/reply.js';
import type { WriteDeps } from '../interaction/deps.js';
import { parseModerationCommand } from './command-text.js';
import { openModeration } from './open.js';
import { requestOf } from '../interaction/request-context.js';

/**
 * `/im-mute`, `/im-unmute`, `/im-block`, `/im-unblock`: for keyboard users and spam waves (up to 50 accounts). A
 * complete `/im-mute <accid…> <duration> <reason…>`, `/im-unmute <accid…>` and `/im-unblock <accid…>` go straight
 * to the one confirmation; anything missing (and every `/im-block`, which asks about devices) opens the form,
 * prefilled with what was typed.
 */
export const moderationCommands = {
  '/im-mute': 'mute',
  '/im-unmute': 'unmute',
  '/im-block': 'block',
  '/im-unblock': 'unblock',
} as const satisfies Record<string, SanctionKind>;
export type ModerationCommand = keyof typeof moderationCommands;

export function registerModerationCommands(app: App, deps: WriteDeps): void {
  for (const [command, kind] of Object.entries(moderationCommands) as [ModerationCommand, SanctionKind][]) {
    app.command(command, async ({ command: raw, ack, respond, client, context }) => {
      await ack();
      await yieldAfterAck();
      const { correlationId, log } = requestOf(context);
      await trackCommand(deps.metrics, command, async () => {
        const payload = await readCommandPayload(modalCommandPayload, raw, { respond, correlationId, log });
        if (!payload) return;
        const { user_id: userId, text, channel_id: channelId, trigger_id: triggerId } = payload;
        let typed;
        try {
          typed = parseModerationCommand(text, kind === 'mute');
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          noteOutcome('input_error');
          const m = messages(await localeOf(deps, userId));
          const problem = moderationProblemText(m, error);
          await answer(respond, { text: problem, blocks: [section(problem)] }, log);
          return;
        }
        if (typed.help) {
          await answerHelp(deps, { command, locale: await localeOf(deps, userId), respond, log });
          return;
        }
        // A reason over the limit cannot go into the form either (its field takes REASON_MAX): say so, open nothing.
        const reasonLength = cleanReason(typed.reason ?? '').length;
        if (reasonLength > REASON_MAX) {
          noteOutcome('input_error');
          const problem = messages(await localeOf(deps, userId)).moderation.problems.reasonTooLongTyped(REASON_MAX, reasonLength);
          await answer(respond, { text: problem, blocks: [section(problem)] }, log);
          return;
        }
        const complete =
          typed.accids.length > 0 &&
          (kind === 'unmute' || kind === 'unblock' || (kind === 'mute' && typed.duration !== undefined && typed.reason !== undefined));
        await openModeration(deps, {
          kind,
          userId,
          channelId,
          triggerId,
          command,
          prefill: {
            accids: typed.accids,
            ...(typed.duration ? { duration: typed.duration } : {}),
            ...(typed.reason ? { reason: typed.reason } : {}),
          },
          confirm: complete,
          respond,
          client,
          correlationId,
          log,
        });
      });
    });
  }
}
