import { describe, expect, it } from 'vitest';
import { renderBlocks, withBlockIds } from '../../src/simulator/render/blocks.js';
import { textOf, type ElementNode, type ViewNode } from '../../src/simulator/render/view-node.js';
import type { SimModal } from '../../src/simulator/modals.js';
import { stateValues } from '../../src/simulator/view-state.js';

/** Choice inputs as the app's Mute, Block and conflict forms use them, drawn and submitted as Slack does. */

const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });
const everywhere = option('Everywhere', 'everywhere');
const p2p = option('One-to-one chats', 'muteP2P');
const kick = option('Log out of every device', 'kick');
const keep = option('Keep theirs', 'keep');
const overwrite = option('Overwrite with mine', 'overwrite');

const blocks = withBlockIds(
  [
    {
      type: 'input',
      block_id: 'scope',
      label: { type: 'plain_text', text: 'Where' },
      element: { type: 'checkboxes', action_id: 'value', options: [everywhere, p2p], initial_options: [everywhere] },
    },
    {
      type: 'input',
      block_id: 'needkick',
      optional: true,
      label: { type: 'plain_text', text: 'Devices' },
      element: { type: 'checkboxes', action_id: 'value', options: [kick] },
    },
    {
      type: 'input',
      block_id: 'conflict.name',
      label: { type: 'plain_text', text: 'Nickname: which one?' },
      element: {
        type: 'radio_buttons',
        action_id: 'value',
        options: [keep, { ...overwrite, description: { type: 'plain_text', text: 'yours' } }],
      },
    },
    { type: 'input', block_id: 'odd', label: { type: 'plain_text', text: 'Date' }, element: { type: 'datepicker', action_id: 'value' } },
  ],
  'b',
);
const modal = { id: 'V1', user: 'U0ADMIN', channel: 'C0GENERAL', view: { id: 'V1', blocks }, version: 1 } satisfies SimModal;

function find(nodes: readonly ViewNode[], match: (node: ElementNode) => boolean): ElementNode[] {
  return nodes.flatMap((node) => ('text' in node ? [] : [...(match(node) ? [node] : []), ...find(node.children ?? [], match)]));
}
const inBlock = (nodes: ViewNode[], block: string) => find(nodes, (n) => n.data?.type === 'input' && n.data.block === block)[0]!;
const boxes = (node: ElementNode) => find([node], (n) => n.tag === 'input');

describe('choice inputs in the simulator', () => {
  it('draws tick boxes and round buttons with their options, never a text box, the initial options ticked', () => {
    const nodes = renderBlocks(blocks, { userName: () => undefined });
    const scope = boxes(inBlock(nodes, 'scope'));
    expect(scope.map((b) => [b.attrs?.type, b.attrs?.value, b.attrs?.checked])).toEqual([
      ['checkbox', 'everywhere', 'checked'],
      ['checkbox', 'muteP2P', undefined],
    ]);
    expect(textOf([inBlock(nodes, 'needkick')])).toContain('Log out of every device');
    const conflict = boxes(inBlock(nodes, 'conflict.name'));
    expect(conflict.map((b) => [b.attrs?.type, b.attrs?.value, b.attrs?.checked])).toEqual([
      ['radio', 'keep', undefined],
      ['radio', 'overwrite', undefined],
    ]);
    // Round buttons of one group share a name: choosing one unchooses the other.
    expect(new Set(conflict.map((b) => b.attrs?.name)).size).toBe(1);
    expect(textOf([inBlock(nodes, 'conflict.name')])).toContain('yours');
    expect(find(nodes, (n) => n.attrs?.type === 'text' || n.tag === 'textarea')).toEqual([]);
    expect(textOf([inBlock(nodes, 'odd')])).toContain('[datepicker input: not drawn by the simulator]');
  });

  it('marks required inputs, so the page can refuse to send them empty as Slack does', () => {
    const nodes = renderBlocks(blocks, { userName: () => undefined });
    expect(inBlock(nodes, 'scope').data?.required).toBe('true');
    expect(inBlock(nodes, 'needkick').data?.required).toBeUndefined();
  });

  it('sends the chosen options as Slack does: selected_options for tick boxes, selected_option for round buttons', () => {
    const values = stateValues(modal, {
      scope: { value: ['muteP2P', 'everywhere', 'forged'] },
      needkick: { value: ['kick'] },
      'conflict.name': { value: 'overwrite' },
    });
    expect(values).toEqual({
      // In the view's order, only options the view offers, as the view defines them.
      scope: { value: { type: 'checkboxes', selected_options: [everywhere, p2p] } },
      needkick: { value: { type: 'checkboxes', selected_options: [kick] } },
      'conflict.name': {
        value: { type: 'radio_buttons', selected_option: { ...overwrite, description: { type: 'plain_text', text: 'yours' } } },
      },
    });
  });

  it('sends nothing chosen as Slack does: [] and null', () => {
    expect(stateValues(modal, {})).toEqual({
      scope: { value: { type: 'checkboxes', selected_options: [] } },
      needkick: { value: { type: 'checkboxes', selected_options: [] } },
      'conflict.name': { value: { type: 'radio_buttons', selected_option: null } },
    });
  });

  it('keeps what was chosen when the app answers with errors', () => {
    const typed = stateValues(modal, { scope: { value: ['muteP2P'] }, 'conflict.name': { value: 'keep' } });
    const nodes = renderBlocks(blocks, { userName: () => undefined, typed });
    expect(boxes(inBlock(nodes, 'scope')).map((b) => b.attrs?.checked)).toEqual([undefined, 'checked']);
    expect(boxes(inBlock(nodes, 'conflict.name')).map((b) => b.attrs?.checked)).toEqual(['checked', undefined]);
  });
});
