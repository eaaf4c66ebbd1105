// The one way extension code gets the words it shows: chrome.i18n.getMessage with the
// message catalogues in extension/_locales/ (en is the default locale). It works in the
// service worker, content scripts, the popup and the options page. Where chrome.i18n is
// missing (Node unit tests) the English catalogue is read from disk instead, so code under
// test still says what the English extension says.
//
//   t('dialogBlockMany', count)   // substitutions fill the message's $1...$9 placeholders

const api = () => globalThis.chrome?.i18n ?? globalThis.browser?.i18n;

// Only under Node: a browser never has `process`, and always has chrome.i18n. No top-level
// await here: service workers refuse modules that use it. Node 20.16+ reads the file at once;
// an older Node a moment after this module loads.
let english = null;
const node = globalThis.process?.versions?.node ? globalThis.process : null;
const readEnglish = ({ readFileSync }) => {
  english = JSON.parse(readFileSync(new URL('../../_locales/en/messages.json', import.meta.url), 'utf8'));
};
const nodeFs = node?.getBuiltinModule?.('node:fs');
if (nodeFs) readEnglish(nodeFs);
else if (node) import('node:fs').then(readEnglish);

// The message `key` in the browser's UI language, with `substitutions` (numbers are fine).
// Messages do not change while the extension runs: each is looked up once (the status chip
// asks for its words at every pause in typing).
const said = new Map();
const MAX_SAID = 500;

export function t(key, ...substitutions) {
  const subs = substitutions.map((s) => String(s ?? ''));
  const memo = subs.length ? `${key}\u0000${subs.join('\u0000')}` : key;
  const known = said.get(memo);
  if (known !== undefined) return known;
  const text = lookUp(key, subs);
  if (said.size >= MAX_SAID) said.clear();
  if (text || english) said.set(memo, text);
  return text;
}

function lookUp(key, subs) {
  const i18n = api();
  if (typeof i18n?.getMessage === 'function') {
    const text = i18n.getMessage(key, subs);
    if (text) return text;
  }
  return fromCatalogue(english, key, subs);
}

// 'ltr' or 'rtl': the direction of the extension's language, not of the page it is on.
export function uiDirection() {
  return t('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr';
}

// The BCP 47 tag of the language the extension speaks: the catalogue in use says it itself
// (Chromium's @@ui_locale follows the system locale even when --lang picked the catalogue).
export function uiLanguage() {
  return t('langTag') || 'en';
}

// Our own page (popup, options): the language and direction on <html>, and each element's
// text from its data-i18n key (data-i18n-title: its title attribute).
export function localizePage(doc) {
  doc.documentElement.lang = uiLanguage();
  doc.documentElement.dir = uiDirection();
  for (const element of doc.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of doc.querySelectorAll('[data-i18n-title]')) element.title = t(element.dataset.i18nTitle);
}

// chrome.i18n's substitution rules, for the fallback: $NAME$ names a placeholder whose
// content is $1...$9 (or text), and $$ is a dollar sign.
export function fromCatalogue(catalogue, key, subs = []) {
  if (key === '@@bidi_dir') return 'ltr';
  const entry = catalogue?.[key];
  if (!entry) return '';
  const fill = (text) => text.replace(/\$(\d)/g, (_, n) => subs[Number(n) - 1] ?? '');
  const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {})
    .map(([name, { content }]) => [name.toLowerCase(), fill(content)]));
  return entry.message
    .replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => placeholders[name.toLowerCase()] ?? whole)
    .replace(/\$\$/g, '$');
}
