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
  walk(root, root, state, null);
  return { text: state.text, segments: state.segments };
}

function breakIfPending(state) {
  if (state.pendingBreak && state.hasContent) {
    state.segments.push({ start: state.text.length, end: state.text.length + 1, node: null });
    state.text += '\n';
  }
  state.pendingBreak = false;
}

function walk(parent, root, state, blocks) {
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
        if (blocks) appendBlock(state, blockText(child, root, blocks));
        else {
          if (state.hasContent) state.pendingBreak = true;
          walk(child, root, state, null);
        }
        if (state.hasContent) state.pendingBreak = true;
      } else {
        walk(child, root, state, blocks);
      }
    }
  }
}

// A block's text depends on its own subtree alone: a <br>'s trailing test and the
// whitespace test stop at the nearest block, and what comes before the block only decides
// whether one "\n" goes before its first content. So a block's text, read with a fresh
// state, is kept (in `blocks`, a WeakMap) until a mutation inside it drops it.
// { text, segments (from 0), hasContent, placed: { at, segments } }.
function blockText(block, root, blocks) {
  let kept = blocks.get(block);
  if (!kept) {
    const state = { text: '', segments: [], pendingBreak: false, hasContent: false };
    walk(block, root, state, blocks);
    kept = { text: state.text, segments: state.segments, hasContent: state.hasContent, placed: null };
    kept.placed = { at: 0, segments: kept.segments };
    blocks.set(block, kept);
  }
  return kept;
}

// What walk(block) with `state` gives: entering a block after content asks for one "\n",
// consumed by the block's first content.
function appendBlock(state, kept) {
  if (!kept.hasContent) return;
  if (state.hasContent) {
    state.segments.push({ start: state.text.length, end: state.text.length + 1, node: null });
    state.text += '\n';
  }
  state.pendingBreak = false;
  const at = state.text.length;
  // A model's segments are never changed once it is handed out (geometry keeps them), so a
  // block that moved gets shifted copies; blocks before the edit keep their offset and
  // their segments.
  if (kept.placed.at !== at) {
    kept.placed = { at, segments: kept.segments.map((s) => ({ start: s.start + at, end: s.end + at, node: s.node })) };
  }
  for (const segment of kept.placed.segments) state.segments.push(segment);
  state.text += kept.text;
  state.hasContent = true;
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

// readEditable(root), read again only after the DOM under root changed, and then only the
// blocks the change was in. A keystroke asks for the text many times (the input handler, the
// edit watch, the overlay's paint, the chip, the scheduler); without this each walked the
// whole composer. Any change of a node, a text or an attribute the model reads (hidden,
// aria-hidden) marks the model stale and drops the kept text of every block from the
// changed node up to the root: the observer's records are taken synchronously, so a change
// made in the same task is seen before its callback runs. A node added to the composer may
// have changed while it was out of it, unseen, so its blocks are dropped too.
// NOTE: a keystroke in a 20 KB post of 205 paragraphs walked all of them (6-29 % of the
// extension's samples, docs/performance.md); now the one paragraph typed in, and the
// others' kept texts are joined.
export class EditableModel {
  #root; #observer; #model = null; #blocks = new WeakMap();

  constructor(root) {
    this.#root = root;
    this.#observer = new MutationObserver((records) => this.#changed(records));
    this.#observer.observe(root, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ['hidden', 'aria-hidden'],
    });
  }

  #changed(records) {
    if (!records.length) return;
    this.#model = null;
    for (const record of records) {
      for (let node = record.target; node; node = node.parentNode) {
        this.#blocks.delete(node);
        if (node === this.#root) break;
      }
      for (const added of record.addedNodes) {
        this.#blocks.delete(added);
        if (added.nodeType === ELEMENT) for (const e of added.getElementsByTagName('*')) this.#blocks.delete(e);
      }
    }
  }

  // { text, segments }, as readEditable gives them.
  read() {
    this.#changed(this.#observer.takeRecords());
    if (!this.#model) {
      const state = { text: '', segments: [], pendingBreak: false, hasContent: false };
      walk(this.#root, this.#root, state, this.#blocks);
      this.#model = { text: state.text, segments: state.segments };
    }
    return this.#model;
  }

  dispose() {
    this.#observer.disconnect();
    this.#model = null;
    this.#blocks = new WeakMap();
  }
}
