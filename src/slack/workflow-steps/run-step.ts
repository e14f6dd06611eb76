import type { App } from '@slack/bolt';
import { z } from 'zod';
import { auditRefusal, type AuditTrail } from '../../audit/index.js';
import type { AuditAction } from '../../audit/records.js';
import type { Config } from '../../config.js';
import type { AppLogger } from '../../logger.js';
import { authorize } from '../../policy/authorize.js';
import type { Directory } from '../../policy/directory.js';
import type { Permission } from '../../policy/permissions.js';
import type { Refusal } from '../../policy/types.js';
import { requestOf } from '../interaction/request-context.js';
import { refusalText } from './step-texts.js';

/**
 * The shape every Workflow Builder step of this app shares (Bolt's app.function): the event is acknowledged at once
 * (Bolt's autoAcknowledge), its function_execution_id is claimed in the audit store so that a repeated delivery, over
 * HTTP or Socket Mode, in any replica, acts once; the acting person (the required user_context input) is authorized
 * as for the commands, asked fresh; a refusal is audited and fails the step; bad input fails it naming the input;
 * otherwise the step's own work runs and completes it with its outputs.
 */

export type StepContext = {
  directory: Directory;
  access: Config['access'];
  trail: AuditTrail;
  /** Epoch ms. */
  now: () => number;
};

export type StepStart = {
  actor: string;
  /** How the audit trail names it: `Mute IM accounts step, via workflow Wx…`. */
  command: string;
  correlationId: string;
  inputs: Record<string, unknown>;
  log: AppLogger;
};

/** What a step's work returns: outputs to complete with, or a message to fail with. */
export type StepResult = { outputs: Record<string, unknown> } | { error: string };

export type StepSpec = {
  callbackId: string;
  title: string;
  permission: Exclude<Permission, 'write'>;
  /** The audited action when refused (moderation steps); lookups are refused without an audit entry, as commands are. */
  action?: AuditAction;
  /** The account the refusal is recorded against. */
  target: (inputs: Record<string, unknown>) => string;
  run: (start: StepStart) => Promise<StepResult>;
};

const userContext = z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) });
const stepEvent = z.object({
  function_execution_id: z.string().min(1).max(128),
  workflow_execution_id: z.string().max(128).optional(),
  inputs: z.record(z.string(), z.unknown()).default({}),
});

export function registerStep(app: App, context: StepContext, spec: StepSpec): void {
  app.function(spec.callbackId, async (args) => {
    const { event, complete, fail } = args;
    const request = requestOf(args.context);
    const correlationId = request.correlationId;
    const log = request.log.child({ step: spec.callbackId });
    const parsed = stepEvent.safeParse(event);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues }, 'unreadable function_executed event');
      return;
    }
    const { function_execution_id: executionId, inputs } = parsed.data;
    const claim = await context.trail.store.claimOnce(`function:${executionId}`, correlationId, context.now());
    if (!claim.first) {
      log.info({ executionId, first: claim.id }, 'workflow step delivered again: already handled');
      return;
    }
    const finish = async (result: StepResult) => {
      try {
        if ('error' in result) await fail({ error: result.error });
        else await complete({ outputs: result.outputs });
      } catch (error) {
        log.error({ err: error, executionId }, 'Slack refused to end the workflow step');
      }
    };
    const person = userContext.safeParse(inputs.user_context);
    if (!person.success) {
      await finish({ error: 'The "Acting person" input (user_context) is missing: set it to the person the step acts for.' });
      return;
    }
    const actor = person.data.id;
    const workflow = parsed.data.workflow_execution_id;
    const command = `${spec.title} step${workflow ? `, via workflow ${workflow}` : ''}`;
    const { decision, cause } = await authorize(context.directory, actor, spec.permission, context.access, { fresh: true });
    if (!decision.allowed) {
      await refused(context, { actor, command, spec, inputs, refusal: decision.refusal, log, cause });
      await finish({ error: refusalText(actor, decision.refusal) });
      return;
    }
    try {
      await finish(await spec.run({ actor, command, correlationId, inputs, log }));
    } catch (error) {
      log.error({ err: error }, 'workflow step failed');
      await finish({
        error: `The step could not finish (${error instanceof Error ? error.message : String(error)}). Reference ${correlationId}.`,
      });
    }
  });
}

/** A refused moderation step is audited like a refused command. */
export async function refused(
  context: StepContext,
  input: {
    actor: string;
    command: string;
    spec: Pick<StepSpec, 'action' | 'target'>;
    inputs: Record<string, unknown>;
    refusal: Refusal;
    log: AppLogger;
    cause?: unknown;
  },
): Promise<void> {
  input.log.info({ refusal: input.refusal, err: input.cause }, 'workflow step refused');
  if (!input.spec.action) return;
  await auditRefusal(context.trail, {
    actor: input.actor,
    action: input.spec.action,
    command: input.command,
    target: { accid: input.spec.target(input.inputs).slice(0, 128) || '(none)' },
    refusal: input.refusal,
  });
}
