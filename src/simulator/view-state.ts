import type { InputValue } from './render/blocks.js';
import type { SimModal } from './workspace.js';

/**
 * What Slack sends back about a modal's inputs: `view.state.values` built from what the person typed, the way Slack
 * shapes it for each kind of element (a text input's value, a select's chosen option).
 */

/** The view's state as Slack reports it: each input's typed value, by block_id and action_id. */
export function stateValues(modal: SimModal, typed: Record<string, Record<string, string>>): Record<string, Record<string, InputValue>> {
  const values: Record<string, Record<string, InputValue>> = {};
  const blocks = Array.isArray(modal.view.blocks) ? (modal.view.blocks as Record<string, unknown>[]) : [];
  for (const block of blocks) {
    if (block.type !== 'input' || !isObject(block.element)) continue;
    const blockId = String(block.block_id);
    const element = block.element;
    const actionId = typeof element.action_id === 'string' ? element.action_id : '';
    const raw = typed[blockId]?.[actionId] ?? '';
    const type = typeof element.type === 'string' ? element.type : 'plain_text_input';
    values[blockId] = {
      [actionId]:
        type === 'static_select' ? { type, selected_option: selectedOption(element, raw) } : { type, value: raw === '' ? null : raw },
    };
  }
  return values;
}

function selectedOption(element: Record<string, unknown>, value: string): unknown {
  if (value === '') return null;
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
  const options = [
    ...list(element.options),
    ...list(element.option_groups).flatMap((group) => (isObject(group) ? list(group.options) : [])),
  ];
  return options.find((option) => isObject(option) && option.value === value) ?? null;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
