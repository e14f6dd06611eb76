import { z } from 'zod';
import type { InputError } from '../../errors.js';
import { cardFieldLimits, serverMemberFieldLimits, utf8Bytes } from '../../nim/validate.js';
import { ACCID_MAX_LENGTH } from '../../nim/accid.js';
import { accidProblemKind } from './command-text.js';
import type { Messages } from '../i18n/catalog.js';
import { INPUT_ACTION_ID } from '../ids.js';
import type { AttachedFile } from './attached-file.js';

/**
 * What a modal submission carries, parsed at the edge: who submitted, which view, its sealed metadata and the typed
 * values. Values are bounded: a forged payload cannot make the app hash megabytes.
 */
const inputValue = z.object({
  type: z.string().max(64),
  value: z.string().max(20_000).nullable().optional(),
  selected_option: z
    .object({ value: z.string().max(150) })
    .nullable()
    .optional(),
  selected_options: z
    .array(z.object({ value: z.string().max(150) }))
    .max(20)
    .nullable()
    .optional(),
  /** A file_input's files: Slack's file objects (the fields the app reads). */
  files: z
    .array(
      z.object({
        id: z.string().max(64),
        name: z.string().max(255),
        filetype: z.string().max(64).optional(),
        url_private: z.string().max(2000).optional(),
        url_private_download: z.string().max(2000).optional(),
      }),
    )
    .max(10)
    .nullable()
    .optional(),
  /** A datetimepicker's choice, epoch seconds. */
  selected_date_time: z.number().int().nullable().optional(),
});

export const viewSubmission = z.object({
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) }),
  view: z.object({
    id: z.string().min(1).max(64),
    /** Changes whenever the view is updated: with the id, it names one submission (at-most-once key). */
    hash: z.string().max(128).optional(),
    private_metadata: z.string().max(3000).optional(),
    state: z.object({ values: z.record(z.string().max(255), z.record(z.string().max(255), inputValue)) }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmission>;
export type SubmittedValues = ViewSubmission['view']['state']['values'];

/** The text typed in an input: '' when emptied, undefined when the input is not in the submission. */
export function typedText(values: SubmittedValues, blockId: string): string | undefined {
  const input = values[blockId]?.[INPUT_ACTION_ID];
  if (!input) return undefined;
  return input.value ?? '';
}

/** The files attached in a file_input; [] when none or the input is missing. */
export function attachedFiles(values: SubmittedValues, blockId: string): AttachedFile[] {
  return (values[blockId]?.[INPUT_ACTION_ID]?.files ?? []).map((file) => ({
    id: file.id,
    name: file.name,
    ...(file.filetype === undefined ? {} : { filetype: file.filetype }),
    ...(file.url_private === undefined ? {} : { url_private: file.url_private }),
    ...(file.url_private_download === undefined ? {} : { url_private_download: file.url_private_download }),
  }));
}

/** The value of the option chosen in a select; undefined when none is chosen or the select is missing. */
export function chosenOption(values: SubmittedValues, blockId: string): string | undefined {
  return values[blockId]?.[INPUT_ACTION_ID]?.selected_option?.value;
}

/**
 * The required choices left unanswered: the blocks among `blockIds` whose chosen option is none of `answers` (nothing
 * chosen, the input missing from the submission, or a value the form never offered).
 */
export function unansweredChoices(values: SubmittedValues, blockIds: readonly string[], answers: readonly string[]): string[] {
  return blockIds.filter((blockId) => !answers.includes(chosenOption(values, blockId) ?? ''));
}

/** The values of the boxes ticked in a checkbox group; [] when none or the group is missing. */
export function chosenOptions(values: SubmittedValues, blockId: string): string[] {
  return (values[blockId]?.[INPUT_ACTION_ID]?.selected_options ?? []).map((option) => option.value);
}

const limits: Record<string, { unit: 'chars' | 'bytes'; max: number }> = { ...cardFieldLimits, ...serverMemberFieldLimits };

/**
 * Validation problems as Slack's `response_action: errors` wants them: block id → text under that input, in the
 * person's language, with the limit. Problems of fields without an input go under `fallbackBlock`.
 */
export function fieldErrors(
  m: Messages,
  problems: readonly InputError[],
  blocks: readonly string[],
  fallbackBlock: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const block = blocks.includes(problem.field) ? problem.field : fallbackBlock;
    errors[block] ??= problemText(m, problem);
  }
  return errors;
}

/** One problem in plain words: NetEase's limit and, for a length, how long the value is. */
export function problemText(m: Messages, problem: InputError): string {
  const limit = limits[problem.field];
  if (limit && problem.value !== undefined && / at most /.test(` ${problem.rule}`)) {
    return limit.unit === 'bytes'
      ? m.fieldProblems.tooLongBytes(limit.max, utf8Bytes(problem.value))
      : m.fieldProblems.tooLongChars(limit.max, problem.value.length);
  }
  if (problem.field === 'gender') return m.fieldProblems.gender;
  if (problem.field === 'serverId') return m.fieldProblems.serverId;
  if (problem.field === 'accid') {
    const kind = accidProblemKind(problem.value ?? '');
    if (kind === 'too_long') return m.fieldProblems.accid(m.accidProblems.too_long(ACCID_MAX_LENGTH));
    if (kind !== undefined) return m.fieldProblems.accid(m.accidProblems[kind]);
  }
  return problem.rule;
}
