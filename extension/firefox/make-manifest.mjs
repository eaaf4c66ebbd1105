#!/usr/bin/env node
// The Firefox variant of the extension, made from the Chromium manifest so the two never
// drift: same permissions, sites, content scripts and pages. What differs:
// - browser_specific_settings.gecko (the add-on id the Firefox host manifest's
//   allowed_extensions names, kept in gecko.json, which cmake/Packaging.cmake reads too);
// - background.scripts: Firefox runs MV3 background code as an event page, not a service
//   worker (our worker code uses no worker-only API);
// - no "key" or minimum_chrome_version (Chromium-only), no match_origin_as_fallback or
//   use_dynamic_url (Firefox rejects or ignores them), and no storage.managed_schema:
//   Firefox takes managed storage from the "3rdparty" enterprise policy without a schema.
// Firefox 128 (ESR) grants host_permissions at install, as Chromium does.
//
//   node extension/firefox/make-manifest.mjs OUT_DIR   # copies extension/ with this manifest
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = resolve(HERE, '..');

export function geckoSettings() {
  return JSON.parse(readFileSync(join(HERE, 'gecko.json'), 'utf8'));
}

export function firefoxManifest(chromium, gecko = geckoSettings()) {
  const {
    key, minimum_chrome_version: minimumChrome, storage, background, ...rest
  } = structuredClone(chromium);
  return {
    ...rest,
    background: { scripts: [background.service_worker], type: background.type },
    content_scripts: rest.content_scripts.map(({ match_origin_as_fallback: fallback, ...script }) => script),
    web_accessible_resources: rest.web_accessible_resources.map(({ use_dynamic_url: dynamic, ...entry }) => entry),
    browser_specific_settings: { gecko: { id: gecko.id, strict_min_version: gecko.strict_min_version } },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: make-manifest.mjs OUT_DIR');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  cpSync(EXTENSION_DIR, out, {
    recursive: true,
    filter: (src) => !src.startsWith(HERE) && !src.endsWith('EXTENSION_ID'),
  });
  const chromium = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(firefoxManifest(chromium), null, 2)}\n`);
  console.log(`Firefox extension in ${out} (add-on id ${geckoSettings().id})`);
}
