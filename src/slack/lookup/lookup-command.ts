import type { AllMiddlewareArgs, App, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { noteOutcome, trackCommand } from '../../metrics/outcome.js';
import { readCommandPayload, slashCommandPayload } from '../interaction/payloads.js';
import { parseAccidList } from '../interaction/command-text.js';
import { answerHelp } from '../help/answer.js';
import type { CommandName } from '../help/registry.js';
import type { SlackMessage } from '../ui/message.js';
import type { ReadDeps } from '../interaction/deps.js';
import { admitReader } from '../interaction/admit.js';
import { ephemeralReply } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { answerLookup, type RenderInput } from './answer-lookup.js';
import type { LookupDeps } from './deps.js';

/**
 * The shape shared by `/im-user` and `/im-mute-status`: ack at once, then authorize, parse the accids, look them up
 * and answer through `respond()` (ephemeral). NetEase may take seconds; Slack only waits 3.
 */

const commandPayload = slashCommandPayload.extend({ channel_id: z.string().min(1) });

export type LookupSpec = {
  command: CommandName;
  muteStatus: boolean;
  /** Whether the answer shows personal fields in full to people who may change cards. */
  revealToWriters: boolean;
  render: (input: RenderInput) => SlackMessage;
  /** Takes the command over when it resolves true (e.g. `/im-user edit <accid>`); it acks itself then. */
  intercept?: (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => Promise<boolean>;
};

export function registerLookupCommand(app: App, deps: LookupDeps, spec: LookupSpec): void {
  app.command(spec.command, async (args) => {
    if (spec.intercept && (await spec.intercept(args))) return;
    const { command, ack, respond } = args;
    await ack();
    const { correlationId, log, afterAck } = requestOf(args.context);
    // The lookup may wait seconds for the NetEase budget: it goes on outside Bolt's run (request-context.ts).
    afterAck(() => trackCommand(deps.metrics, spec.command, () => runLookup(command, respond, deps, spec, correlationId, log)));
  });
}

async function runLookup(
  raw: unknown,
  respond: RespondFn,
  deps: LookupDeps,
  spec: LookupSpec,
  correlationId: string,
  log: ReadDeps['logger'],
): Promise<void> {
  const payload = await readCommandPayload(commandPayload, raw, { respond, correlationId, log });
  if (!payload) return;
  const reader = await admitReader(deps, payload.user_id, respond, log);
  if (!reader) return;
  const typed = parseAccidList(payload.text);
  if (typed.help) {
    await answerHelp(deps, { command: spec.command, locale: reader.locale, respond, log });
    return;
  }
  if (typed.accids.length === 0 && typed.invalid.length > 0) noteOutcome('input_error');
  await answerLookup(deps, {
    reader,
    accids: typed.accids,
    invalid: typed.invalid,
    command: spec.command,
    muteStatus: spec.muteStatus,
    revealToWriters: spec.revealToWriters,
    render: spec.render,
    reply: ephemeralReply(respond, log),
    correlationId,
    log,
  });
}
