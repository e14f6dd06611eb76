import { inputBlock, select, type InputContext } from './inputs.js';
import { arr, obj, str, type Json } from './json.js';
import { emojiNodes, mrkdwnToNodes, type MrkdwnContext } from './mrkdwn.js';
import { el, isWebUrl, text, type ElementNode, type ViewNode } from './view-node.js';

/**
 * Block Kit → view nodes: header, section (text, fields, accessory), context, divider, image, actions, input (drawn by
 * `inputBlock`). Blocks
 * are read defensively (they come from the app over the wire): a missing field renders as nothing, an unknown block
 * as a visible note, so a new block type shows up in the simulator instead of vanishing.
 *
 * Interactive elements carry `data-*` the page sends back: `action` (action_id), `block` (block_id), `value`, and for
 * inputs `kind` (the element type). Block ids Slack would generate are filled in by `withBlockIds` first.
 */

export type RenderContext = InputContext;
export type { InputValue } from './inputs.js';

/** Slack gives every block a block_id; the app sees them in payloads, so assign them before rendering. */
export function withBlockIds(blocks: unknown[], prefix: string): Json[] {
  return blocks.map((block, index) => {
    const b = obj(block) ?? {};
    return str(b.block_id) ? b : { ...b, block_id: `${prefix}${index}` };
  });
}

/** A text object (`plain_text` or `mrkdwn`). */
export function textObject(value: unknown, context: MrkdwnContext): ViewNode[] {
  const t = obj(value);
  const body = str(t?.text);
  if (body === undefined) return [];
  // `verbatim` only stops Slack from auto-linking bare URLs and names, which the simulator never does: same parse.
  if (t?.type === 'mrkdwn') return mrkdwnToNodes(body, context);
  return t?.emoji === false ? [text(body)] : emojiNodes(body);
}

export function renderBlocks(blocks: unknown[], context: RenderContext): ViewNode[] {
  return blocks.map((block) => renderBlock(obj(block) ?? {}, context));
}

function renderBlock(block: Json, context: RenderContext): ViewNode {
  const blockId = str(block.block_id) ?? '';
  const data = { block: blockId, type: str(block.type) ?? 'unknown' };
  switch (block.type) {
    case 'header':
      return el('h3', 'sim-header', textObject(block.text, context), { data });
    case 'divider':
      return el('hr', 'sim-divider', [], { data });
    case 'section':
      return section(block, blockId, context);
    case 'context':
      return el(
        'div',
        'sim-context',
        arr(block.elements).map((item) => contextElement(obj(item) ?? {}, context)),
        { data },
      );
    case 'image':
      return el(
        'div',
        'sim-image-block',
        [...(block.title ? [el('div', 'sim-image-title', textObject(block.title, context))] : []), image(block, 'sim-image')],
        { data },
      );
    case 'actions':
      return el(
        'div',
        'sim-actions',
        arr(block.elements).map((item) => interactive(obj(item) ?? {}, blockId, context)),
        { data },
      );
    case 'input':
      return inputBlock(block, blockId, context, textObject);
    default:
      return el('div', 'sim-unsupported', [text(`[${String(block.type)} block: not drawn by the simulator]`)], { data });
  }
}

function section(block: Json, blockId: string, context: RenderContext): ElementNode {
  const body: ViewNode[] = [];
  if (block.text) body.push(el('div', 'sim-section-text', textObject(block.text, context)));
  const fields = arr(block.fields);
  if (fields.length > 0)
    body.push(
      el(
        'div',
        'sim-fields',
        fields.map((field) => el('div', 'sim-field', textObject(field, context))),
      ),
    );
  const accessory = obj(block.accessory);
  const children: ViewNode[] = [el('div', 'sim-section-body', body)];
  if (accessory) {
    children.push(
      el('div', 'sim-accessory', [accessory.type === 'image' ? image(accessory, 'sim-thumb') : interactive(accessory, blockId, context)]),
    );
  }
  return el('div', 'sim-section', children, { data: { block: blockId, type: 'section' } });
}

function contextElement(item: Json, context: RenderContext): ViewNode {
  if (item.type === 'image') return image(item, 'sim-context-image');
  return el('span', 'sim-context-text', textObject(item, context));
}

/** An image; the page swaps in the alt text when it cannot load (local mode often has no network). */
function image(item: Json, className: string): ViewNode {
  const url = str(item.image_url) ?? str(obj(item.slack_file)?.url) ?? '';
  const alt = str(item.alt_text) ?? '';
  if (!isWebUrl(url)) return el('span', `${className} sim-image-missing`, [text(alt || 'image')]);
  return el('img', className, [], { attrs: { src: url, alt, title: alt } });
}

/** A button, select or other element inside an actions block or as an accessory. */
function interactive(item: Json, blockId: string, context: RenderContext): ViewNode {
  const actionId = str(item.action_id) ?? '';
  if (item.type === 'button') {
    const style = str(item.style);
    const url = str(item.url);
    return el('button', `sim-button${style ? ` sim-button-${style}` : ''}`, textObject(item.text, context), {
      attrs: { type: 'button' },
      data: { action: actionId, block: blockId, value: str(item.value) ?? '', kind: 'button', ...(url && isWebUrl(url) ? { url } : {}) },
    });
  }
  if (item.type === 'static_select') return select(item, { blockId, actionId, typed: undefined, context, textObject });
  return el('span', 'sim-unsupported', [text(`[${String(item.type)} element]`)]);
}

/** The message's notification text when it has no blocks, drawn like Slack draws `text` (mrkdwn unless disabled). */
export function renderMessageText(message: { text?: unknown; mrkdwn?: unknown }, context: MrkdwnContext): ViewNode[] {
  const body = str(message.text);
  if (!body) return [];
  return [el('div', 'sim-section-text', message.mrkdwn === false ? [text(body)] : mrkdwnToNodes(body, context))];
}
