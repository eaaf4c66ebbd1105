// The text of a composer as the host sees it, with a segment map back to the DOM. Blocks
// (paragraphs, Draft.js blocks, list items) are separated by one "\n", a <br> inside a block
// is a "\n", and a <br> that only holds an empty line open (ProseMirror's trailing break,
// Draft.js's empty block) adds nothing. Offsets are UTF-16 code units, as in JavaScript
// strings and the host's findings. Reading never changes the DOM.

const TEXT = 3;
const ELEMENT = 1;

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET',
  'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR',
  'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT',
  'TH', 'THEAD', 'TR', 'UL',
]);
const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IMG', 'SVG', 'svg', 'CANVAS']);

export function isBlock(node) {
  return node?.nodeType === ELEMENT && BLOCK_TAGS.has(node.nodeName.toUpperCase());
}

function isSkipped(element) {
  return SKIPPED_TAGS.has(element.nodeName) || element.hidden ||
    element.getAttribute('aria-hidden') === 'true';
}

// Whitespace-only text between blocks is source formatting, not text the user typed.
function isInterBlockWhitespace(node) {
  if (!/^[ \t\r\n]*$/.test(node.data)) return false;
  return isBlock(node.previousSibling) || isBlock(node.nextSibling) ||
    ((!node.previousSibling || !node.nextSibling) && isBlock(node.parentNode) &&
      hasBlockChild(node.parentNode));
}

function hasBlockChild(element) {
  for (let c = element.firstChild; c; c = c.nextSibling) if (isBlock(c)) return true;
  return false;
}

function hasInlineContent(node) {
  if (node.nodeType === TEXT) return node.data.length > 0 && !isInterBlockWhitespace(node);
  if (node.nodeType !== ELEMENT || isSkipped(node)) return false;
  if (node.nodeName === 'BR') return true;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (isBlock(c) || hasInlineContent(c)) return true;
  }
  return false;
}

// True when nothing visible follows the <br> before its block ends.
function isTrailingBreak(br, root) {
  for (let node = br; node && node !== root; node = node.parentNode) {
    for (let s = node.nextSibling; s; s = s.nextSibling) {
      if (isBlock(s)) return true;
      if (hasInlineContent(s)) return false;
    }
    if (isBlock(node.parentNode)) return true;
  }
  return true;
}

// { text, segments } for a contenteditable root. A segment is { start, end, node } for a
// text node, or { start, end, node: null } for a "\n" the model inserted.
export function readEditable(root) {
  const state = { text: '', segments: [], pendingBreak: false, hasContent: false };
  walk(root, root, state);
  return { text: state.text, segments: state.segments };
}

function breakIfPending(state) {
  if (state.pendingBreak && state.hasContent) {
    state.segments.push({ start: state.text.length, end: state.text.length + 1, node: null });
    state.text += '\n';
  }
  state.pendingBreak = false;
}

function walk(parent, root, state) {
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT) {
      if (!child.data.length || isInterBlockWhitespace(child)) continue;
      breakIfPending(state);
      const start = state.text.length;
      state.text += child.data;
      state.segments.push({ start, end: state.text.length, node: child });
      state.hasContent = true;
    } else if (child.nodeType === ELEMENT && !isSkipped(child)) {
      if (child.nodeName === 'BR') {
        breakIfPending(state);
        state.hasContent = true;
        if (!isTrailingBreak(child, root)) state.pendingBreak = true;
      } else if (isBlock(child)) {
        if (state.hasContent) state.pendingBreak = true;
        walk(child, root, state);
        if (state.hasContent) state.pendingBreak = true;
      } else {
        walk(child, root, state);
      }
    }
  }
}

// The text offset of a DOM position (a selection's focus), or -1 outside the map.
export function offsetOfPosition(segments, node, offset) {
  for (const segment of segments) {
    if (segment.node === node) return segment.start + Math.min(offset, segment.end - segment.start);
  }
  if (node?.nodeType === ELEMENT) {
    // A position between children: the start of the first text at or after that child.
    const child = node.childNodes[offset];
    for (const segment of segments) {
      if (!segment.node) continue;
      if (child ? precedesOrContains(child, segment.node) : false) return segment.start;
    }
    let last = -1;
    for (const segment of segments) if (segment.node && node.contains(segment.node)) last = segment.end;
    return last;
  }
  return -1;
}

function precedesOrContains(reference, node) {
  if (reference === node || reference.contains?.(node)) return true;
  // DOCUMENT_POSITION_FOLLOWING: node comes after reference.
  return (reference.compareDocumentPosition(node) & 4) !== 0;
}

// readEditable(root), read again only after the DOM under root changed. A keystroke asks for
// the text many times (the input handler, the edit watch, the overlay's paint, the chip, the
// scheduler); without this each walked the whole composer. Any change of a node, a text or
// an attribute the model reads (hidden, aria-hidden) marks it stale: the observer's records
// are taken synchronously, so a change made in the same task is seen before its callback
// runs. NOTE: one walk of a 20 KB composer of 205 paragraphs takes about 0.1 ms here, and
// a keystroke asked for the text more than ten times (two paints, the chip, the scheduler).
export class EditableModel {
  #root; #observer; #model = null;

  constructor(root) {
    this.#root = root;
    this.#observer = new MutationObserver(() => { this.#model = null; });
    this.#observer.observe(root, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ['hidden', 'aria-hidden'],
    });
  }

  // { text, segments }, as readEditable gives them.
  read() {
    if (this.#observer.takeRecords().length) this.#model = null;
    this.#model ??= readEditable(this.#root);
    return this.#model;
  }

  dispose() {
    this.#observer.disconnect();
    this.#model = null;
  }
}
