// Which element is a composer, and which editor drives it. Composers are found lazily, from
// the event that shows the user is in one (focusin, input: both composed, so they cross
// open shadow roots such as Reddit's), rather than by walking every page's DOM.

const TEXT_INPUT_TYPES = new Set(['', 'text']);

// Editors we know by their root's markers (docs/browser-testing.md "Editors on the real sites").
const EDITORS = [
  ['draft', (el) => el.classList.contains('public-DraftEditor-content')],
  ['lexical', (el) => el.getAttribute('data-lexical-editor') === 'true'],
  ['prosemirror', (el) => el.classList.contains('ProseMirror')],
  ['quill', (el) => el.classList.contains('ql-editor')],
  ['slate', (el) => el.hasAttribute('data-slate-editor')],
];

export function editorName(element) {
  if (element.nodeName === 'TEXTAREA') return 'textarea';
  if (element.nodeName === 'INPUT') return 'input';
  for (const [name, test] of EDITORS) if (test(element)) return name;
  return 'contenteditable';
}

function isTextField(element) {
  if (element.nodeName === 'TEXTAREA') return !element.readOnly && !element.disabled;
  if (element.nodeName !== 'INPUT') return false;
  const type = (element.getAttribute('type') ?? '').toLowerCase();
  if (!TEXT_INPUT_TYPES.has(type) || element.readOnly || element.disabled) return false;
  // Search boxes and autocompletes are not composers.
  const role = element.getAttribute('role');
  const label = `${element.name} ${element.getAttribute('aria-label') ?? ''} ${element.placeholder}`;
  return role !== 'combobox' && role !== 'searchbox' && !/search/i.test(label);
}

// The outermost editing host that contains `element`, within its own tree.
function editingHost(element) {
  if (!element.isContentEditable) return null;
  let host = element;
  while (host.parentElement?.isContentEditable) host = host.parentElement;
  return host;
}

// The composer an event happened in: { element, kind, editor } or null.
export function composerFromEvent(event) {
  for (const node of event.composedPath()) {
    if (node.nodeType !== 1) continue;
    const found = composerFromElement(node);
    if (found) return found;
    if (node.nodeName === 'BODY') break;
  }
  return null;
}

// node -> the contenteditable composer found for it, while that composer is in the page,
// still holds node and was not made read-only (contenteditable="false", as editors do).
// isContentEditable makes the browser bring the page's style up to date,
// which after a keystroke it has to recompute: at every input event that was 6 % of the
// extension's samples on a 20 KB post (issue 16). A text field costs a few attribute reads
// and is not cached (readOnly and disabled may change).
const editableOf = new WeakMap();

export function composerFromElement(node) {
  if (isTextField(node)) return { element: node, kind: 'value', editor: editorName(node) };
  const cached = editableOf.get(node);
  if (cached?.element.isConnected && cached.element.getAttribute('contenteditable') !== 'false' &&
    cached.element.contains(node)) return cached;
  const host = editingHost(node);
  if (!host) {
    editableOf.delete(node);
    return null;
  }
  const found = { element: host, kind: 'editable', editor: editorName(host) };
  editableOf.set(node, found);
  return found;
}

// The parent of a node, stepping out of shadow roots to their host.
export function composedParent(node) {
  const parent = node.parentNode;
  return parent?.nodeType === 11 ? parent.host ?? null : parent ?? null;
}

export function composedContains(ancestor, node) {
  for (let n = node; n; n = composedParent(n)) if (n === ancestor) return true;
  return false;
}

// Composers inside `container` (and the open shadow roots in it), for a post button whose
// composer was never focused (a share dialog opened with text already in it).
export function composersWithin(container, limit = 200) {
  const out = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('textarea, input, [contenteditable]')) {
      const found = composerFromElement(el);
      if (found && found.element === el) out.push(found);
      if (out.length >= limit) return;
    }
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot && out.length < limit) visit(el.shadowRoot);
    }
  };
  if (container.querySelectorAll) visit(container);
  return out;
}
