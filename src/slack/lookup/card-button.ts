import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { LookupDeps } from './deps.js';
import { noteOutcome, tracked } from '../../metrics/outcome.js';
import { accidProblem } from '../../nim/accid.js';
import { InputError } from '../../errors.js';
import type { AppLogger } from '../../logger.js';
import { admitReader, type Reader } from '../interaction/admit.js';
import { accidButtonPayload } from '../interaction/payloads.js';
import { answerFailure, yieldAfterAck } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';

/**
 * The shape shared by the buttons on a user card: ack at once, re-validate the accid the button carries (it comes
 * back from the client), re-check who clicked, then act.
 */

export type CardClick = {
  accid: string;
  userId: string;
  /** Where the card was shown (absent when Slack did not say, e.g. some DMs). */
  channelId: string | undefined;
  reader: Reader;
  respond: RespondFn;
  client: App['client'];
  correlationId: string;
  log: AppLogger;
};

export function registerCardButton(app: App, deps: LookupDeps, actionId: string, act: (click: CardClick) => Promise<void>): void {
  app.action<BlockButtonAction>(
    actionId,
    tracked(deps.metrics, `button:${actionId}`, async ({ ack, body, respond, client, context }) => {
      await ack();
      await yieldAfterAck();
      const { correlationId, log } = requestOf(context);
      const payload = accidButtonPayload.safeParse(body);
      if (!payload.success) {
        log.warn({ issues: payload.error.issues }, 'unreadable button payload');
        noteOutcome('input_error');
        return;
      }
      const reader = await admitReader(deps, payload.data.user.id, respond, log);
      if (!reader) return;
      const accid = payload.data.actions[0]!.value ?? '';
      const problem = accidProblem(accid);
      if (problem !== undefined) {
        await answerFailure(respond, new InputError('accid', problem, accid), { locale: reader.locale, correlationId, log });
        return;
      }
      const channelId = payload.data.channel?.id ?? payload.data.container?.channel_id;
      try {
        await act({ accid, userId: payload.data.user.id, channelId, reader, respond, client, correlationId, log });
      } catch (error) {
        await answerFailure(respond, error, { locale: reader.locale, correlationId, log });
      }
    }),
  );
}
