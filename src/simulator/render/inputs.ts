import type { MrkdwnContext } from './mrkdwn.js';
import { arr, obj, str, type Json } from './json.js';
import { el, text, type ElementNode, type ViewNode } from './view-node.js';

/**
 * Input blocks as Slack draws them: each element its own control (text box, drop-down, tick boxes, round buttons),
 * never a text box standing in for a choice. An element the simulator does not draw shows as a visible note and is
 * left out of the submission, as a stand-in text box would send something the app never reads.
 *
 * Every control carries `data-block`, `data-action` and `data-kind` (the element type) for the page to collect;
 * choice groups carry them on the group, their options being plain inputs with the option's value.
 */

/** The element types drawn here; `view-state` builds their submission values. */
export const drawnInputKinds = [
  'plain_text_input',
  'static_select',
  'multi_static_select',
  'checkboxes',
  'radio_buttons',
  'file_input',
] as const;

export type InputContext = MrkdwnContext & {
  /** Validation errors from a `response_action: errors`, by block_id. */
  errors?: Record<string, string>;
  /** What the person typed last (kept across an errors answer), by block_id → action_id. */
  typed?: Record<string, Record<string, InputValue>>;
};

/** One input's value as Slack reports it in `view.state.values`. */
export type InputValue = {
  type: string;
  value?: string | null;
  selected_option?: unknown;
  selected_options?: unknown[];
  /** A file_input's files (Slack's file objects). */
  files?: unknown[];
};

type TextOf = (value: unknown, context: MrkdwnContext) => ViewNode[];

export function inputBlock(block: Json, blockId: string, context: InputContext, textObject: TextOf): ElementNode {
  const element = obj(block.element) ?? {};
  const actionId = str(element.action_id) ?? '';
  const typed = context.typed?.[blockId]?.[actionId];
  const error = context.errors?.[blockId];
  const id = `input-${blockId}-${actionId}`;
  const optional = block.optional === true;
  const label = el(
    'label',
    'sim-input-label',
    [...textObject(block.label, context), ...(optional ? [el('span', 'sim-optional', [text(' (optional)')])] : [])],
    { attrs: { for: id } },
  );
  const control = inputControl(element, { blockId, actionId, id, typed, context, textObject });
  const children: ViewNode[] = [label, control];
  if (error) children.push(el('div', 'sim-input-error', [text(error)], { data: { error: blockId } }));
  if (block.hint) children.push(el('div', 'sim-hint', textObject(block.hint, context)));
  // `required`: Slack's client refuses to submit an empty required input; the page does the same.
  return el('div', `sim-input${error ? ' sim-has-error' : ''}`, children, {
    data: { block: blockId, type: 'input', ...(optional ? {} : { required: 'true' }) },
  });
}

type ControlArgs = {
  blockId: string;
  actionId: string;
  id: string;
  typed: InputValue | undefined;
  context: MrkdwnContext;
  textObject: TextOf;
};

function inputControl(element: Json, args: ControlArgs): ElementNode {
  switch (element.type) {
    case 'plain_text_input':
      return textInput(element, args);
    case 'static_select':
    case 'multi_static_select':
      return select(element, args);
    case 'checkboxes':
    case 'radio_buttons':
      return choices(element, args);
    case 'file_input':
      return filePicker(element, args);
    default:
      return el('span', 'sim-unsupported', [text(`[${String(element.type)} input: not drawn by the simulator]`)]);
  }
}

function dataOf(element: Json, args: ControlArgs): Record<string, string> {
  return { block: args.blockId, action: args.actionId, kind: str(element.type) ?? 'plain_text_input' };
}

function textInput(element: Json, args: ControlArgs): ElementNode {
  const value = args.typed ? (args.typed.value ?? '') : (str(element.initial_value) ?? '');
  const placeholder = str(obj(element.placeholder)?.text);
  const attrs: ElementNode['attrs'] = {
    id: args.id,
    name: `${args.blockId}/${args.actionId}`,
    ...(placeholder ? { placeholder } : {}),
    ...(typeof element.max_length === 'number' ? { maxlength: String(element.max_length) } : {}),
  };
  const data = dataOf(element, args);
  if (element.multiline === true) {
    return el('textarea', 'sim-textarea', value ? [text(value)] : [], { attrs: { ...attrs, rows: '4' }, data });
  }
  return el('input', 'sim-text-input', [], { attrs: { ...attrs, type: 'text', value }, data });
}

/** A file picker limited to the element's file types; the page uploads the file picked to the local Slack API. */
function filePicker(element: Json, args: ControlArgs): ElementNode {
  const types = arr(element.filetypes).map((type) => `.${String(type)}`);
  const attrs: ElementNode['attrs'] = { id: args.id, name: `${args.blockId}/${args.actionId}`, type: 'file' };
  if (types.length > 0) attrs.accept = types.join(',');
  if (typeof element.max_files === 'number' && element.max_files > 1) attrs.multiple = 'multiple';
  return el('input', 'sim-file-input', [], { attrs, data: dataOf(element, args) });
}

/** The option values chosen: what was submitted last, else the element's initial option(s). */
function chosenValues(element: Json, typed: InputValue | undefined): Set<string> {
  const values = (options: unknown[]) => options.map((option) => str(obj(option)?.value)).filter((v): v is string => v !== undefined);
  if (typed) return new Set(values([...(typed.selected_option ? [typed.selected_option] : []), ...(typed.selected_options ?? [])]));
  return new Set(values([...(element.initial_option ? [element.initial_option] : []), ...arr(element.initial_options)]));
}

/** A drop-down: static_select, or multi_static_select as a list with several rows chosen. */
export function select(element: Json, args: Omit<ControlArgs, 'id'> & { id?: string }): ElementNode {
  const chosen = chosenValues(element, args.typed);
  const multiple = element.type === 'multi_static_select';
  const option = (raw: unknown): ElementNode => {
    const o = obj(raw) ?? {};
    const value = str(o.value) ?? '';
    return el('option', undefined, args.textObject(o.text, { userName: () => undefined }), {
      attrs: { value, ...(chosen.has(value) ? { selected: 'selected' } : {}) },
    });
  };
  const placeholder = multiple
    ? []
    : [
        el('option', undefined, args.textObject(element.placeholder, args.context), {
          attrs: { value: '', ...(chosen.size === 0 ? { selected: 'selected' } : {}) },
        }),
      ];
  const groups = arr(element.option_groups).map((group) =>
    el('optgroup', undefined, arr(obj(group)?.options).map(option), { attrs: { label: str(obj(obj(group)?.label)?.text) ?? '' } }),
  );
  return el('select', 'sim-select', [...placeholder, ...arr(element.options).map(option), ...groups], {
    attrs: { ...(args.id ? { id: args.id } : {}), name: `${args.blockId}/${args.actionId}`, ...(multiple ? { multiple: 'multiple' } : {}) },
    data: dataOf(element, { ...args, id: args.id ?? '' }),
  });
}

/** Tick boxes (any number chosen) or round buttons (one), each option with its text and description. */
function choices(element: Json, args: ControlArgs): ElementNode {
  const chosen = chosenValues(element, args.typed);
  const type = element.type === 'checkboxes' ? 'checkbox' : 'radio';
  const options = arr(element.options).map((raw, index) => {
    const o = obj(raw) ?? {};
    const value = str(o.value) ?? '';
    const id = index === 0 ? args.id : `${args.id}-${index}`;
    const box = el('input', `sim-${type}`, [], {
      attrs: { id, type, name: `${args.blockId}/${args.actionId}`, value, ...(chosen.has(value) ? { checked: 'checked' } : {}) },
    });
    const description = o.description ? [el('div', 'sim-choice-description', args.textObject(o.description, args.context))] : [];
    return el('label', 'sim-choice', [box, el('span', 'sim-choice-text', [...args.textObject(o.text, args.context), ...description])], {
      attrs: { for: id },
    });
  });
  return el('div', `sim-choices ${type === 'checkbox' ? 'sim-checkboxes' : 'sim-radio-buttons'}`, options, { data: dataOf(element, args) });
}
