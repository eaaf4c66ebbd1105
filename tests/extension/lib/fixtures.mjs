// The fixture pages and the posts typed into them, as data: adding an editor or a case is
// adding a row. `categories` are the categories each post must be underlined with; the host's
// detection decides them, so a case names what the host is expected to find today.

export const EDITORS = [
  { name: 'textarea', editor: '#composer', post: '#post' },
  { name: 'shadow', editor: '[aria-label="Post body"]', post: '#inner-post' },
  { name: 'iframe', frame: '#composer-frame', editor: '#composer', post: '#post' },
  { name: 'draft', editor: '.public-DraftEditor-content', post: '#post' },
  { name: 'lexical', editor: '[data-lexical-editor="true"]', post: '#post' },
  { name: 'prosemirror', editor: '.ProseMirror', post: '#post' },
  { name: 'quill', editor: '.ql-editor', post: '#post' },
];

export const POSTS = {
  // A valid SSN blocks; "Patient John Smith" is a name after a patient cue.
  blocking: {
    text: 'Patient John Smith SSN 536-22-8741 was admitted with pneumonia',
    categories: ['ssn', 'name'],
    verdict: 'block',
  },
  // A given name with health information: a warning the user may post past.
  warning: {
    text: 'Visited Maria Gonzalez today, she is recovering from pneumonia',
    categories: ['name'],
    verdict: 'warn',
  },
  clean: {
    text: 'Join our blood drive this Saturday at the main lobby!',
    categories: [],
    verdict: 'allow',
  },
};

// The review page whose reply boxes send on Enter (fixtures/src/comments.js): one box per
// review, a contenteditable and a textarea. Not in EDITORS: it has no Post button.
export const COMMENT_BOXES = [
  { name: 'comments', editor: '#reply-1', kind: 'contenteditable', review: 1 },
  { name: 'comments', editor: '#reply-2', kind: 'textarea', review: 2 },
];

// A composer inside the site's own modal: a native <dialog> opened with showModal(), and a
// script modal that traps focus (fixtures/src/nativedialog.js, focustrap.js).
export const MODALS = [
  { name: 'nativedialog', editor: '#composer', post: '#post' },
  { name: 'focustrap', editor: '#composer', post: '#post' },
];
