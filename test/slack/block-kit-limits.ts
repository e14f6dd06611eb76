import { expect } from 'vitest';

/**
 * Asserts what Slack would otherwise reject with invalid_blocks or msg_blocks_too_long (limits from
 * /work/shared/slack-notes.md), plus a non-empty `text` fallback. Independent of src/ so a bug there cannot hide here.
 */
export const LIMITS = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  altText: 2000,
  messageText: 13_000,
};

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const textOf = (v: unknown): string => {
  const t = asObj(v).text;
  return typeof t === 'string' ? t : '';
};

export function totalText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + totalText(item), 0);
  if (!value || typeof value !== 'object') return 0;
  let n = 0;
  for (const [key, inner] of Object.entries(value)) {
    n += (key === 'text' || key === 'alt_text') && typeof inner === 'string' ? inner.length : totalText(inner);
  }
  return n;
}

function checkTextObject(v: unknown, max: number, where: string): void {
  const o = asObj(v);
  expect(['plain_text', 'mrkdwn'], `${where} type`).toContain(o.type);
  const text = textOf(o);
  expect(text.length, `${where} empty`).toBeGreaterThan(0);
  expect(text.length, `${where} too long`).toBeLessThanOrEqual(max);
}

export function assertWithinBlockKitLimits(message: { text: string; blocks: unknown[] }): void {
  expect(typeof message.text).toBe('string');
  expect(message.text.trim().length, 'fallback text').toBeGreaterThan(0);
  expect(message.blocks.length, 'blocks').toBeLessThanOrEqual(LIMITS.blocks);
  expect(totalText(message.blocks), 'message text').toBeLessThanOrEqual(LIMITS.messageText);
  const blockIds = new Set<string>();
  message.blocks.forEach((raw, i) => {
    const block = asObj(raw);
    const where = `block ${i} (${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      expect(block.block_id.length).toBeLessThanOrEqual(LIMITS.blockId);
      expect(blockIds.has(block.block_id), `${where} duplicate block_id`).toBe(false);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        expect(asObj(block.text).type).toBe('plain_text');
        checkTextObject(block.text, LIMITS.header, where);
        break;
      case 'section': {
        const fields = Array.isArray(block.fields) ? block.fields : [];
        expect(block.text !== undefined || fields.length > 0, `${where} needs text or fields`).toBe(true);
        if (block.text !== undefined) checkTextObject(block.text, LIMITS.sectionText, where);
        expect(fields.length).toBeLessThanOrEqual(LIMITS.fields);
        fields.forEach((f, j) => checkTextObject(f, LIMITS.field, `${where} field ${j}`));
        if (block.accessory) checkElement(block.accessory, where);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        expect(elements.length).toBeGreaterThan(0);
        expect(elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
        elements.forEach((e) => (asObj(e).type === 'image' ? checkElement(e, where) : checkTextObject(e, LIMITS.sectionText, where)));
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        expect(elements.length).toBeGreaterThan(0);
        expect(elements.length).toBeLessThanOrEqual(25);
        const ids = elements.map((e) => asObj(e).action_id);
        expect(new Set(ids).size, `${where} action_ids unique in block`).toBe(ids.length);
        elements.forEach((e) => checkElement(e, where));
        break;
      }
      case 'divider':
        break;
      default:
        throw new Error(`${where}: unexpected block type`);
    }
  });
}

function checkElement(raw: unknown, where: string): void {
  const element = asObj(raw);
  if (element.type === 'image') {
    expect(typeof element.image_url).toBe('string');
    expect(String(element.image_url)).toMatch(/^https?:\/\//);
    expect(typeof element.alt_text).toBe('string');
    expect((element.alt_text as string).length).toBeGreaterThan(0);
    expect((element.alt_text as string).length).toBeLessThanOrEqual(LIMITS.altText);
  } else if (element.type === 'button') {
    expect(asObj(element.text).type).toBe('plain_text');
    checkTextObject(element.text, LIMITS.buttonText, `${where} button`);
    expect(String(element.action_id).length).toBeLessThanOrEqual(LIMITS.actionId);
    if (element.value !== undefined) {
      expect(typeof element.value).toBe('string');
      expect((element.value as string).length).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
  } else {
    throw new Error(`${where}: unexpected element ${String(element.type)}`);
  }
}
