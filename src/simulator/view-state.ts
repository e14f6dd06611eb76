import { drawnInputKinds, type InputValue } from './render/inputs.js';
import type { SimModal } from './workspace.js';

/**
 * What Slack sends back about a modal's inputs: `view.state.values` built from what the person typed and chose, the
 * way Slack shapes it for each kind of element — a text input's `value` (null when empty), a select's or a round
 * button group's `selected_option` (null when none), a tick-box group's or multi-select's `selected_options` ([] when
 * none). Chosen options are the view's own option objects, found by value: a value the view does not offer is dropped.
 */

/** What the page sends per input: the text typed, or the value(s) of the option(s) chosen. */
export type Typed = Record<string, Record<string, string | readonly string[]>>;

/** The view's state as Slack reports it, by block_id and action_id. Elements the simulator does not draw are left out. */
export function stateValues(
  modal: SimModal,
  typed: Typed,
  fileOf: (id: string) => object | undefined = () => undefined,
): Record<string, Record<string, InputValue>> {
  const values: Record<string, Record<string, InputValue>> = {};
  const blocks = Array.isArray(modal.view.blocks) ? (modal.view.blocks as Record<string, unknown>[]) : [];
  for (const block of blocks) {
    if (block.type !== 'input' || !isObject(block.element)) continue;
    const element = block.element;
    const type = typeof element.type === 'string' ? element.type : '';
    if (!(drawnInputKinds as readonly string[]).includes(type)) continue;
    const blockId = String(block.block_id);
    const actionId = typeof element.action_id === 'string' ? element.action_id : '';
    const raw = typed[blockId]?.[actionId];
    const chosen = (typeof raw === 'string' ? (raw === '' ? [] : [raw]) : (raw ?? [])).map(String);
    // A file_input sends the ids of the files the page uploaded; Slack reports the file objects.
    values[blockId] = {
      [actionId]:
        type === 'file_input'
          ? { type, files: chosen.map(fileOf).filter((file) => file !== undefined) }
          : inputValue(type, element, raw, chosen),
    };
  }
  return values;
}

function inputValue(type: string, element: Record<string, unknown>, raw: unknown, chosen: string[]): InputValue {
  switch (type) {
    case 'checkboxes':
    case 'multi_static_select':
      return { type, selected_options: optionsOf(element, chosen) };
    case 'radio_buttons':
    case 'static_select':
      return { type, selected_option: optionsOf(element, chosen.slice(0, 1))[0] ?? null };
    default: {
      const text = typeof raw === 'string' ? raw : '';
      return { type, value: text === '' ? null : text };
    }
  }
}

/** The view's options with these values, in the view's order (Slack reports them so). */
function optionsOf(element: Record<string, unknown>, values: readonly string[]): unknown[] {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
  const options = [
    ...list(element.options),
    ...list(element.option_groups).flatMap((group) => (isObject(group) ? list(group.options) : [])),
  ];
  return options.filter((option) => isObject(option) && typeof option.value === 'string' && values.includes(option.value));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
