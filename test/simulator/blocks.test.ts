import { describe, expect, it } from 'vitest';
import { renderBlocks, withBlockIds } from '../../src/simulator/render/blocks.js';
import { textOf, type ElementNode, type ViewNode } from '../../src/simulator/render/view-node.js';

const context = { userName: (id: string) => (id === 'U0ADMIN' ? 'Ada Admin' : undefined) };
const render = (blocks: unknown[], extra = {}) => renderBlocks(withBlockIds(blocks, 'b'), { ...context, ...extra });

function find(nodes: readonly ViewNode[], match: (node: ElementNode) => boolean): ElementNode[] {
  return nodes.flatMap((node) => ('text' in node ? [] : [...(match(node) ? [node] : []), ...find(node.children ?? [], match)]));
}

describe('Block Kit as the simulator draws it', () => {
  it('draws a card: header, fields with an image accessory, context, divider and buttons that carry their ids', () => {
    const nodes = render([
      { type: 'header', text: { type: 'plain_text', text: 'Alice Chen' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Account ID*\n`alice`' },
          { type: 'plain_text', text: 'Status: valid' },
        ],
        accessory: { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'Avatar of Alice' },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'by <@U0ADMIN>' }] },
      { type: 'divider' },
      {
        type: 'actions',
        block_id: 'card',
        elements: [
          {
            type: 'button',
            action_id: 'user_card.mute_status',
            value: 'alice',
            text: { type: 'plain_text', text: 'Mute status' },
            style: 'primary',
          },
        ],
      },
    ]);
    expect(nodes.map((node) => ('tag' in node ? node.tag : 'text'))).toEqual(['h3', 'div', 'div', 'hr', 'div']);
    expect(textOf(nodes)).toContain('Alice Chen');
    expect(find(nodes, (n) => n.tag === 'img')[0]!.attrs).toMatchObject({ src: 'https://example.com/a.png', alt: 'Avatar of Alice' });
    expect(textOf(find(nodes, (n) => n.attrs?.class === 'sim-context')[0]!.children!)).toBe('by @Ada Admin');
    expect(find(nodes, (n) => n.tag === 'button')[0]).toMatchObject({
      attrs: { class: 'sim-button sim-button-primary' },
      data: { action: 'user_card.mute_status', block: 'card', value: 'alice', kind: 'button' },
    });
  });

  it('never loads an image or follows a link that is not http(s)', () => {
    const nodes = render([
      { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'evil' },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'go', url: 'javascript:alert(1)', text: { type: 'plain_text', text: 'Go' } }],
      },
    ]);
    expect(find(nodes, (n) => n.tag === 'img')).toEqual([]);
    expect(find(nodes, (n) => n.tag === 'button')[0]!.data?.url).toBeUndefined();
  });

  it('draws modal inputs: single and multi-line text, static select, hint, optional, and the error under its field', () => {
    const nodes = render(
      [
        {
          type: 'input',
          block_id: 'name',
          label: { type: 'plain_text', text: 'Nickname' },
          hint: { type: 'plain_text', text: 'Up to 64 characters.' },
          element: { type: 'plain_text_input', action_id: 'value', initial_value: 'Alice', max_length: 64 },
        },
        {
          type: 'input',
          block_id: 'ex',
          optional: true,
          label: { type: 'plain_text', text: 'ex' },
          element: { type: 'plain_text_input', action_id: 'value', multiline: true, initial_value: '{"a":1}' },
        },
        {
          type: 'input',
          block_id: 'gender',
          label: { type: 'plain_text', text: 'Gender' },
          element: {
            type: 'static_select',
            action_id: 'value',
            initial_option: { text: { type: 'plain_text', text: 'Female' }, value: '2' },
            options: [
              { text: { type: 'plain_text', text: 'Male' }, value: '1' },
              { text: { type: 'plain_text', text: 'Female' }, value: '2' },
            ],
          },
        },
      ],
      { errors: { name: 'At most 64 characters.' } },
    );
    expect(find(nodes, (n) => n.tag === 'input')[0]!.attrs).toMatchObject({ name: 'name/value', value: 'Alice', maxlength: '64' });
    expect(textOf(find(nodes, (n) => n.tag === 'textarea'))).toBe('{"a":1}');
    const options = find(nodes, (n) => n.tag === 'option');
    expect(options.filter((o) => o.attrs?.selected).map((o) => o.attrs?.value)).toEqual(['2']);
    expect(textOf(find(nodes, (n) => n.attrs?.class === 'sim-input-error'))).toBe('At most 64 characters.');
    expect(textOf(nodes)).toContain('Up to 64 characters.');
    expect(textOf(nodes)).toContain('(optional)');
  });

  it('keeps what the person typed when the app answers with errors', () => {
    const nodes = render(
      [
        {
          type: 'input',
          block_id: 'name',
          label: { type: 'plain_text', text: 'Nickname' },
          element: { type: 'plain_text_input', action_id: 'value', initial_value: 'Alice' },
        },
      ],
      { typed: { name: { value: { type: 'plain_text_input', value: 'A' } } } },
    );
    expect(find(nodes, (n) => n.tag === 'input')[0]!.attrs?.value).toBe('A');
  });

  it('shows a block it does not know as a visible note instead of dropping it', () => {
    expect(textOf(render([{ type: 'rich_text', elements: [] }]))).toContain('rich_text block');
  });

  it('gives every block a block_id, as Slack does, keeping the app’s own', () => {
    expect(withBlockIds([{ type: 'divider' }, { type: 'divider', block_id: 'mine' }], 'x').map((b) => b.block_id)).toEqual(['x0', 'mine']);
  });
});
