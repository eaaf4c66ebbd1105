// A small element builder for our shadow-root UI: text goes in as text nodes, never as HTML,
// so a finding's title or an admin's contact text cannot inject markup.

export function h(doc, tag, props = {}, ...children) {
  const element = doc.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? doc.createTextNode(child) : child);
  }
  return element;
}

// Puts `element` in the top layer when the browser can, above the site's own modals.
export function toTopLayer(element) {
  if (typeof element.showPopover !== 'function') return;
  element.setAttribute('popover', 'manual');
  try { element.showPopover(); } catch { /* already showing or detached */ }
}

// Takes `element` out of the top layer, back into its place (a popover that is not showing
// is not displayed at all).
export function fromTopLayer(element) {
  if (!element.hasAttribute('popover')) return;
  try { element.hidePopover(); } catch { /* not showing */ }
  element.removeAttribute('popover');
}

let counter = 0;
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}
