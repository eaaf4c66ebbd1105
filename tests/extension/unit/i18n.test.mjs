// The message catalogues (extension/_locales) against the code that uses them: every key the
// extension asks for exists in English and Spanish, the two hold the same keys with the same
// placeholders, and no message is left unused. Keys are found in the sources as written:
// t('key') and chrome.i18n.getMessage('key') calls, data-i18n attributes in the pages,
// __MSG_key__ in the manifest, and the category labels' keys in categories.js.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { EXTENSION_DIR } from '../lib/paths.mjs';
import { CATEGORY_LABELS, categoryLabel } from '../../../extension/src/shared/categories.js';
import { fromCatalogue, t } from '../../../extension/src/shared/i18n.js';
import { firefoxManifest } from '../../../extension/firefox/make-manifest.mjs';

const LOCALES = ['en', 'es'];
const catalogues = Object.fromEntries(LOCALES.map((locale) => [locale,
  JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', locale, 'messages.json'), 'utf8'))]));
const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));

function sources(dir = EXTENSION_DIR) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'firefox' || entry.name === '_locales' ? [] : sources(path);
    return /\.(js|html)$/.test(entry.name) ? [path] : [];
  });
}

// key -> the files that use it. Message keys are [A-Za-z0-9_@] (chrome.i18n's rule).
function usedKeys() {
  const used = new Map();
  const add = (key, file) => used.set(key, [...(used.get(key) ?? []), relative(EXTENSION_DIR, file)]);
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    for (const [, key] of text.matchAll(/\b(?:t|getMessage)\(\s*'([A-Za-z0-9_@]+)'/g)) add(key, file);
    for (const [, key] of text.matchAll(/\bdata-i18n(?:-title)?="([^"]+)"/g)) add(key, file);
  }
  for (const [, key] of JSON.stringify(manifest).matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) add(key, 'manifest.json');
  for (const key of Object.values(CATEGORY_LABELS)) add(key, 'src/shared/categories.js');
  return used;
}

const builtIn = (key) => key.startsWith('@@');

test('every message key the extension uses exists in every locale', () => {
  const used = usedKeys();
  assert.ok(used.size > 50, `found only ${used.size} keys: is the scan broken?`);
  for (const locale of LOCALES) {
    const missing = [...used].filter(([key]) => !builtIn(key) && !Object.hasOwn(catalogues[locale], key));
    assert.deepEqual(missing, [], `missing from _locales/${locale}/messages.json`);
  }
});

// A key the scan cannot see (t(variable)) would escape the checks above: only the helper
// itself and the category labels (checked through CATEGORY_LABELS) may look keys up that way.
test('message keys are written out where they are used', () => {
  const allowed = new Set(['src/shared/i18n.js', 'src/shared/categories.js']);
  const dynamic = sources().flatMap((file) => {
    const name = relative(EXTENSION_DIR, file);
    if (allowed.has(name)) return [];
    return [...readFileSync(file, 'utf8').matchAll(/\b(?:t|getMessage)\(\s*(?![')\s])[^)]{0,40}/g)]
      .map((m) => `${name}: ${m[0]}`);
  });
  assert.deepEqual(dynamic, []);
});

test('no message in the catalogues goes unused', () => {
  const used = usedKeys();
  assert.deepEqual(Object.keys(catalogues.en).filter((key) => !used.has(key)), []);
});

test('the locales hold the same keys, each with text', () => {
  assert.deepEqual(Object.keys(catalogues.es).sort(), Object.keys(catalogues.en).sort());
  for (const locale of LOCALES) {
    for (const [key, entry] of Object.entries(catalogues[locale])) {
      assert.match(key, /^[A-Za-z0-9_]+$/, `${locale}: ${key}`);
      assert.equal(typeof entry.message, 'string', `${locale}: ${key}`);
      assert.ok(entry.message.trim(), `${locale}: ${key} is empty`);
    }
  }
});

// $NAME$ in a message must name one of its placeholders, each placeholder must be used, and
// the Spanish message must take the same substitutions ($1...) as the English one.
test('placeholders match between the message, its placeholders and the locales', () => {
  const shape = (entry) => {
    const named = [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase());
    const defined = Object.fromEntries(Object.entries(entry.placeholders ?? {})
      .map(([name, { content }]) => [name.toLowerCase(), content]));
    return { named: [...new Set(named)].sort(), defined };
  };
  for (const key of Object.keys(catalogues.en)) {
    const shapes = Object.fromEntries(LOCALES.map((locale) => [locale, shape(catalogues[locale][key])]));
    for (const locale of LOCALES) {
      const { named, defined } = shapes[locale];
      assert.deepEqual(named, Object.keys(defined).sort(), `${locale}: ${key}: placeholders used vs defined`);
      assert.doesNotMatch(catalogues[locale][key].message.replace(/\$[A-Za-z0-9_@]+\$/g, '').replace(/\$\$/g, ''), /\$\d/,
        `${locale}: ${key}: a bare $n (use a named placeholder)`);
    }
    assert.deepEqual(shapes.es.defined, shapes.en.defined, `${key}: the Spanish placeholders differ`);
  }
});

test('the Spanish catalogue is a translation, not a copy', () => {
  const same = Object.keys(catalogues.en).filter((key) => catalogues.es[key].message === catalogues.en[key].message);
  // Names, version lines and words Spanish shares with English may stay as they are.
  assert.ok(same.length < Object.keys(catalogues.en).length / 10, `untranslated: ${same.join(', ')}`);
});

test('without chrome.i18n the helper speaks the English catalogue, substitutions included', () => {
  assert.equal(globalThis.chrome?.i18n, undefined);
  assert.equal(t('postAnyway'), 'Post anyway');
  assert.equal(t('dialogBlockMany', 3), 'PHI Guard found 3 things that must not be posted. Remove them and try again.');
  assert.equal(t('@@bidi_dir'), 'ltr');
  assert.equal(categoryLabel('ssn'), 'Social Security number');
  assert.equal(categoryLabel('not_a_category'), 'not_a_category');
  assert.equal(fromCatalogue(catalogues.es, 'popupBrowserSaid', ['A.', 'b', 'c']), 'A. El navegador dijo: "b" (c).');
  assert.equal(fromCatalogue({ k: { message: 'cost $$5 for $N$', placeholders: { n: { content: '$1' } } } }, 'k', ['x']),
    'cost $5 for x');
});

test('the manifest and its Firefox variant take their name from the catalogue', () => {
  assert.equal(manifest.default_locale, 'en');
  assert.equal(manifest.name, '__MSG_extName__');
  assert.equal(firefoxManifest(manifest).default_locale, 'en');
  assert.equal(catalogues.en.extName.message, 'PHI Guard');
  for (const locale of LOCALES) assert.ok(catalogues[locale].extDescription.message.length <= 132, 'store limit');
});
