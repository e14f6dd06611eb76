import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord, AuditStore } from '../../../src/audit/index.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { auditRecords } from '../../audit/trail.js';
import { startHarness, type Harness, type HarnessOptions } from '../../support/app-harness.js';
import { postSigned, viewSubmissionBody, type AppAnswer } from '../../support/slack-requests.js';

/** The app harness with the update side wired: a SQLite audit store in a temp dir and an audit channel. */
export type UpdateHarness = Harness & {
  /** AUDIT_DB; a JSON Lines trail at `audit.jsonl` beside it (an earlier version's) is imported at start. */
  dbPath: string;
  auditChannel: string;
  /** The audit store's records, as written so far (see auditRecords). */
  records(): Promise<AuditRecord[]>;
  /**
   * Resolves once the audit outbox ran a round that left nothing to post: every entry that was to be posted on its
   * own has been posted by then.
   */
  outboxIdle(): Promise<void>;
  /** The view a modal ended up showing after `views.open` (the view `views.update` filled in, with `callback_id`). */
  filledView(callbackId: string): Promise<ModalView>;
  /** Submits a modal's form as `user`, with its prefilled values and `typed` over them. */
  submit(view: ModalView, user: string, typed?: Record<string, string | null>, options?: SubmitOptions): Promise<AppAnswer>;
  /** The signed body `submit` sends (post it twice with `postSigned` to replay one submission). */
  submissionBody(view: ModalView, user: string, typed?: Record<string, string | null>, options?: SubmitOptions): string;
};

type SubmitOptions = {
  selected?: Record<string, string>;
  checked?: Record<string, string[]>;
  /** A file_input's files by block id: Slack's file objects (slack.putFile's). */
  files?: Record<string, readonly object[]>;
};

export type ModalView = { id: string; callback_id?: string; private_metadata?: string; blocks: Block[]; [key: string]: unknown };
type Block = {
  type: string;
  block_id?: string;
  element?: {
    type: string;
    action_id: string;
    initial_value?: string;
    initial_option?: { value: string };
    initial_options?: { value: string }[];
  };
  [key: string]: unknown;
};

export const AUDIT_CHANNEL = 'C0AUDIT';

export async function startUpdateHarness(
  options: HarnessOptions & {
    logDir?: string;
    retryBaseDelayMs?: number;
    /** The audit store to use instead of the one in `logDir` (e.g. one whose writes can be made to fail). */
    auditStore?: (dbPath: string) => AuditStore;
  } = {},
): Promise<UpdateHarness & { removeDir(): Promise<void> }> {
  const dir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'im-admin-update-')));
  const dbPath = join(dir, 'audit.db');
  const h = await startHarness({
    ...options,
    audit: {
      dbPath,
      logPath: join(dir, 'audit.jsonl'),
      channel: AUDIT_CHANNEL,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 20,
      retryMaxDelayMs: 200,
      pollMs: 100,
      ...(options.auditStore ? { store: options.auditStore(dbPath) } : {}),
    },
  });
  const harness: UpdateHarness & { removeDir(): Promise<void> } = {
    ...h,
    dbPath,
    auditChannel: AUDIT_CHANNEL,
    async records() {
      return (await auditRecords(dir)) as AuditRecord[];
    },
    outboxIdle: () => h.app.audit!.trail.outbox.whenIdle(),
    async filledView(callbackId) {
      const update = await h.slack.waitForCall('views.update', (call) => viewOf(call)?.callback_id === callbackId, 15_000);
      return { ...viewOf(update)!, id: String(update.args.view_id) };
    },
    submissionBody(view, user, typed = {}, submitOptions = {}) {
      const values: Record<string, Record<string, unknown>> = {};
      for (const block of view.blocks) {
        if (block.type !== 'input' || !block.block_id || !block.element) continue;
        const { element } = block;
        if (element.type === 'checkboxes') {
          const chosen = submitOptions.checked?.[block.block_id] ?? (element.initial_options ?? []).map((option) => option.value);
          values[block.block_id] = { [element.action_id]: { type: 'checkboxes', selected_options: chosen.map((value) => ({ value })) } };
        } else if (element.type === 'file_input') {
          values[block.block_id] = { [element.action_id]: { type: 'file_input', files: submitOptions.files?.[block.block_id] ?? [] } };
        } else if (element.type === 'static_select' || element.type === 'radio_buttons') {
          const value = submitOptions.selected?.[block.block_id] ?? element.initial_option?.value;
          values[block.block_id] = {
            [element.action_id]: { type: element.type, selected_option: value === undefined ? null : { value } },
          };
        } else {
          const value = block.block_id in typed ? typed[block.block_id] : (element.initial_value ?? null);
          values[block.block_id] = { [element.action_id]: { type: element.type, value: value === '' ? null : value } };
        }
      }
      return viewSubmissionBody(view, user, values);
    },
    submit(view, user, typed = {}, submitOptions = {}) {
      return postSigned(h.signer, harness.submissionBody(view, user, typed, submitOptions));
    },
    removeDir: () => rm(dir, { recursive: true, force: true }),
  };
  return harness;
}

function viewOf(call: ApiCall): ModalView | undefined {
  const view = call.args.view;
  return typeof view === 'object' && view !== null ? (view as ModalView) : undefined;
}

/** The ack body of a view submission as JSON ({} when empty). */
export function ackJson(answer: AppAnswer): { response_action?: string; errors?: Record<string, string> } {
  return answer.body.trim() === '' ? {} : (JSON.parse(answer.body) as { response_action?: string; errors?: Record<string, string> });
}
