import { needsApproval, type ApprovalPolicy } from '../../approval/index.js';
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { recordLookup } from '../../audit/index.js';
import type { BatchService } from '../../moderation/batch/batch-service.js';
import { carryOutAsBatch } from '../../moderation/batch/carry-out-batch.js';
import { carryOut, type ModerationNim } from '../../moderation/execute.js';
import { parseDuration } from '../../moderation/duration.js';
import { sanctionProblems, splitAccids, type Sanction } from '../../moderation/sanction.js';
import type { LiftSchedule } from '../../moderation/scheduler.js';
import { accidProblem } from '../../nim/accid.js';
import { InputError } from '../../errors.js';
import { protectedDecision } from '../../policy/protected.js';
import { stepIds } from '../ids.js';
import { refused, registerStep, type StepContext, type StepResult, type StepStart } from './run-step.js';
import { outcomeLine, refusalText } from './step-texts.js';

/**
 * The three Workflow Builder steps (manifest `functions`): Look up IM account, Mute IM accounts, Block IM account.
 * They run the same core as the commands (one account: carryOut; more: a batch; accounts read first, each change's
 * intent durable before it is sent, then read back), with the same protected-account rule; their audit entries name the step and the workflow run.
 */

export type StepsContext = StepContext & {
  nim: ModerationNim;
  /** Where an action on more than one account runs (as a batch, one audit channel message). */
  batches: BatchService;
  schedule?: LiftSchedule;
  /** IM_APPROVAL_FOR: a step cannot ask for approval, so what needs it fails the step instead of running. */
  approvalPolicy?: ApprovalPolicy;
};

const text = z.string().max(4000);
const muteInputs = z.object({ accids: text, duration: text, reason: text });
const blockInputs = z.object({ accid: text, reason: text, log_out: z.boolean().optional() });
const lookupInputs = z.object({ accid: text });

export function register(app: App, context: StepsContext): void {
  registerStep(app, context, {
    callbackId: stepIds.lookup,
    title: 'Look up IM account',
    permission: 'read',
    target: (inputs) => textInput(inputs.accid),
    run: (start) => lookUp(context, start),
  });
  registerStep(app, context, {
    callbackId: stepIds.mute,
    title: 'Mute IM accounts',
    permission: 'moderate',
    action: 'mute',
    target: (inputs) => splitAccids(textInput(inputs.accids)).join(' '),
    run: (start) => moderate(context, start, 'mute'),
  });
  registerStep(app, context, {
    callbackId: stepIds.block,
    title: 'Block IM account',
    permission: 'moderate',
    action: 'block',
    target: (inputs) => textInput(inputs.accid),
    run: (start) => moderate(context, start, 'block'),
  });
}

async function lookUp(context: StepsContext, start: StepStart): Promise<StepResult> {
  const inputs = lookupInputs.safeParse(start.inputs);
  const accid = inputs.success ? inputs.data.accid.trim() : '';
  const problem = accidProblem(accid);
  if (problem) return { error: `"Account id" ${problem}.` };
  const lookup = await context.nim.getUinfos([accid], { muteStatus: true, correlationId: start.correlationId });
  // Who looked at whom, before anything is shown (as for /im-user).
  await recordLookup(context.trail, { id: start.correlationId, actor: start.actor, command: start.command, accids: [accid] });
  const card = lookup.found[0];
  const modules = card
    ? (['muteP2P', 'muteTeam', 'muteRoom', 'muteQChat'] as const).filter((m) => card[m] === true).map((m) => m.slice(4).toLowerCase())
    : [];
  return {
    outputs: {
      found: card !== undefined,
      name: card?.name ?? '',
      muted_everywhere: card?.mute === true,
      muted_modules: modules.join(', '),
      blocked: card?.valid === false,
    },
  };
}

async function moderate(context: StepsContext, start: StepStart, kind: 'mute' | 'block'): Promise<StepResult> {
  const built = kind === 'mute' ? muteSanction(start.inputs) : blockSanction(start.inputs);
  if ('error' in built) return built;
  const sanction = built;
  const problems = sanctionProblems(sanction);
  if (problems.length > 0) return { error: problems.map((p) => inputText(p)).join(' ') };
  const subject = { kind: 'change', action: kind, accounts: sanction.accids.length } as const;
  if (context.approvalPolicy && needsApproval(context.approvalPolicy, subject)) {
    return {
      error: `IM_APPROVAL_FOR says a ${kind} needs a second person's approval, which a workflow step cannot ask for: use /im-${kind}.`,
    };
  }
  const protectedCheck = protectedDecision(sanction.accids, context.access.protectedAccids);
  if (!protectedCheck.allowed) {
    const spec = { action: kind, target: () => sanction.accids.join(' ') };
    await refused(context, { ...start, spec, refusal: protectedCheck.refusal });
    return { error: refusalText(start.actor, protectedCheck.refusal) };
  }
  // More than one account is a batch, as from a command: one audit channel message for the step's whole action.
  const report =
    sanction.accids.length > 1
      ? await carryOutAsBatch(context.batches, context.nim, {
          id: start.correlationId,
          sanction,
          actor: start.actor,
          command: start.command,
          origin: { user: start.actor },
        })
      : await carryOut(sanction, {
          trail: context.trail,
          nim: context.nim,
          actor: start.actor,
          command: start.command,
          correlationId: start.correlationId,
          now: context.now,
          ...(context.schedule ? { schedule: context.schedule } : {}),
        });
  const done = kind === 'mute' ? 'muted' : 'blocked';
  const lines = report.outcomes.map((outcome) => outcomeLine(outcome, done, `already ${done}`));
  if (kind === 'block') {
    const outcome = report.outcomes[0]!;
    return { outputs: { blocked: outcome.status === 'done' || outcome.status === 'already', report: lines.join('\n') } };
  }
  return { outputs: { muted_count: report.outcomes.filter((o) => o.status === 'done').length, report: lines.join('\n') } };
}

function muteSanction(raw: Record<string, unknown>): Sanction | { error: string } {
  const inputs = muteInputs.safeParse(raw);
  if (!inputs.success) return { error: 'The step needs "Account ids", "Duration" and "Reason" as text.' };
  try {
    const duration = parseDuration(inputs.data.duration);
    return { kind: 'mute', accids: splitAccids(inputs.data.accids), reason: inputs.data.reason, scope: 'everywhere', duration };
  } catch (error) {
    if (error instanceof InputError) return { error: inputText(error) };
    throw error;
  }
}

function blockSanction(raw: Record<string, unknown>): Sanction | { error: string } {
  const inputs = blockInputs.safeParse(raw);
  if (!inputs.success) return { error: 'The step needs "Account id" and "Reason" as text ("Log out of every device" is yes or no).' };
  return { kind: 'block', accids: splitAccids(inputs.data.accid), reason: inputs.data.reason, needkick: inputs.data.log_out ?? false };
}

const inputNames: Record<string, string> = {
  accids: 'Account ids',
  duration: 'Duration',
  reason: 'Reason',
  scope: 'Where',
  kickNotifyExt: 'Message to devices',
};

/** An input problem as the workflow's author reads it: the input's title, the rule, and what was given. */
function inputText(problem: InputError): string {
  const name = inputNames[problem.field] ?? problem.field;
  return `"${name}" ${problem.rule}${problem.value === undefined ? '' : ` (got "${String(problem.value).slice(0, 60)}")`}.`;
}

/** A text input as given, '' when absent or not text (the step then fails naming it). */
function textInput(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
