// View nodes → DOM, with createElement/textContent only, from a whitelist of tags and attributes (the same lists as
// src/simulator/render/view-node.ts): nothing the app sends is ever parsed as HTML, and only http(s) URLs load.

const TAGS = new Set(['div', 'span', 'p', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'a', 'img', 'hr', 'h3',
  'button', 'input', 'textarea', 'select', 'option', 'optgroup', 'label', 'ul', 'li', 'br']);
const ATTRS = new Set(['class', 'href', 'src', 'alt', 'title', 'type', 'name', 'placeholder', 'value', 'rows',
  'maxlength', 'accept', 'minlength', 'required', 'selected', 'checked', 'multiple', 'disabled', 'for', 'id', 'target', 'rel', 'label']);

function isWebUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** One view node → DOM. Unknown tags become spans; unknown attributes and non-web URLs are dropped. */
export function build(node) {
  if (typeof node.text === 'string') return document.createTextNode(node.text);
  const element = document.createElement(TAGS.has(node.tag) ? node.tag : 'span');
  for (const [name, value] of Object.entries(node.attrs || {})) {
    if (!ATTRS.has(name)) continue;
    if ((name === 'href' || name === 'src') && !isWebUrl(value)) continue;
    if (name === 'value' && element.tagName === 'INPUT') element.value = value;
    if (name === 'selected' && element.tagName === 'OPTION') element.selected = true;
    if (name === 'checked' && element.tagName === 'INPUT') element.checked = true;
    element.setAttribute(name, value);
  }
  for (const [name, value] of Object.entries(node.data || {})) element.dataset[name] = value;
  if (element.tagName === 'TEXTAREA') {
    element.value = (node.children || []).map((child) => child.text || '').join('');
    return element;
  }
  for (const child of node.children || []) element.append(build(child));
  if (element.tagName === 'IMG') {
    element.addEventListener('error', () => {
      const missing = document.createElement('span');
      missing.className = `${element.className} sim-image-missing`;
      missing.textContent = element.alt || 'image';
      missing.title = element.src;
      element.replaceWith(missing);
    });
  }
  return element;
}

export function make(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

