/**
 * What the simulator server sends the page to draw: a tree of plain elements and text, built from the app's Block Kit
 * on the server. The page turns it into DOM with createElement/textContent only, and accepts just the tags and
 * attributes below, so nothing the app (or a hostile nickname) sends can become markup or script.
 */

export const allowedTags = [
  'div',
  'span',
  'p',
  'strong',
  'em',
  's',
  'code',
  'pre',
  'blockquote',
  'a',
  'img',
  'hr',
  'h3',
  'button',
  'input',
  'textarea',
  'select',
  'option',
  'optgroup',
  'label',
  'ul',
  'li',
  'br',
] as const;
export type Tag = (typeof allowedTags)[number];

/** Attributes the page will set; `href` and `src` only when they are http(s) URLs. */
export const allowedAttributes = [
  'class',
  'href',
  'src',
  'alt',
  'title',
  'type',
  'name',
  'placeholder',
  'value',
  'rows',
  'maxlength',
  'accept',
  'minlength',
  'required',
  'selected',
  'checked',
  'multiple',
  'disabled',
  'for',
  'id',
  'target',
  'rel',
  'label',
] as const;
export type Attribute = (typeof allowedAttributes)[number];

export type TextNode = { text: string };
export type ElementNode = {
  tag: Tag;
  attrs?: Partial<Record<Attribute, string>>;
  /** `data-*` attributes: what a click or a submission sends back (action ids, values…). */
  data?: Record<string, string>;
  children?: ViewNode[];
};
export type ViewNode = TextNode | ElementNode;

export const text = (value: string): TextNode => ({ text: value });

export function el(
  tag: Tag,
  className: string | undefined,
  children: ViewNode[] = [],
  extra: { attrs?: ElementNode['attrs']; data?: ElementNode['data'] } = {},
): ElementNode {
  const attrs = { ...(className ? { class: className } : {}), ...extra.attrs };
  return {
    tag,
    ...(Object.keys(attrs).length > 0 ? { attrs } : {}),
    ...(extra.data ? { data: extra.data } : {}),
    ...(children.length > 0 ? { children } : {}),
  };
}

/** True for absolute http(s) URLs: the only ones the page links to or loads. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The plain text of a tree (what a person would read), for tests and the notification line. */
export function textOf(nodes: readonly ViewNode[]): string {
  return nodes.map((node) => ('text' in node ? node.text : textOf(node.children ?? []))).join('');
}
