// The manifest against what depends on it: the id in EXTENSION_ID (host manifests and
// policies name it), the covered sites (sites.js), the files it names, and the permissions
// table in README.md's "Requested permissions".
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EXTENSION_DIR, extensionId } from '../lib/paths.mjs';
import { builtInPatterns } from '../../../extension/src/shared/sites.js';
import { firefoxManifest, geckoSettings } from '../../../extension/firefox/make-manifest.mjs';

const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));

test('the key gives the id in EXTENSION_ID', () => {
  const der = Buffer.from(manifest.key, 'base64');
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
  assert.equal(id, extensionId());
  assert.match(extensionId(), /^[a-p]{32}$/);
});

test('content scripts and host permissions cover exactly the built-in sites', () => {
  assert.deepEqual(manifest.content_scripts[0].matches, builtInPatterns());
  assert.deepEqual(manifest.host_permissions, builtInPatterns());
  assert.equal(manifest.content_scripts[0].all_frames, true);
  assert.equal(manifest.content_scripts[0].match_origin_as_fallback, true);
});

test('every file the manifest names exists', () => {
  const files = [
    manifest.background.service_worker, manifest.action.default_popup, manifest.options_ui.page,
    manifest.storage.managed_schema, ...manifest.content_scripts.flatMap((c) => c.js),
    ...Object.values(manifest.icons),
  ];
  for (const file of files) assert.ok(existsSync(join(EXTENSION_DIR, file)), file);
});

test('the content script modules are web-accessible (it imports them)', () => {
  const resources = manifest.web_accessible_resources.flatMap((w) => w.resources);
  for (const folder of ['src/content/', 'src/shared/', 'src/ui/']) {
    assert.ok(resources.some((r) => r.startsWith(folder)), folder);
  }
});

test('README\'s "Requested permissions" explains every permission the manifest asks for', () => {
  const readme = readFileSync(join(EXTENSION_DIR, '..', 'README.md'), 'utf8');
  const table = readme.split('## Requested permissions')[1].split('\n## ')[0];
  const asked = [...manifest.permissions, ...manifest.host_permissions, ...manifest.optional_host_permissions];
  for (const permission of asked) assert.ok(table.includes(`\`${permission}\``), permission);
});

test('the managed schema keeps the keys the deployment templates use', () => {
  const ours = JSON.parse(readFileSync(join(EXTENSION_DIR, manifest.storage.managed_schema), 'utf8'));
  const agreed = JSON.parse(readFileSync(join(EXTENSION_DIR, '..', 'tests', 'deploy', 'managed_schema.json'), 'utf8'));
  for (const [key, spec] of Object.entries(agreed.properties)) {
    assert.ok(ours.properties[key], key);
    assert.equal(ours.properties[key].type, spec.type, key);
  }
});

describe('the Firefox variant', () => {
  const firefox = firefoxManifest(manifest);
  const gecko = geckoSettings();

  test('carries the add-on id the Firefox host manifest allows', () => {
    assert.equal(firefox.browser_specific_settings.gecko.id, gecko.id);
    assert.match(gecko.id, /^[a-z0-9._-]+@[a-z0-9.-]+$/);
    // cmake/Packaging.cmake reads the same file for allowed_extensions.
    const packaging = readFileSync(join(EXTENSION_DIR, '..', 'cmake', 'Packaging.cmake'), 'utf8');
    assert.ok(packaging.includes('extension/firefox/gecko.json'));
  });

  test('runs the background code as a module event page, not a service worker', () => {
    assert.deepEqual(firefox.background, { scripts: [manifest.background.service_worker], type: 'module' });
    assert.ok(existsSync(join(EXTENSION_DIR, firefox.background.scripts[0])));
  });

  test('drops what only Chromium understands and keeps everything else', () => {
    for (const key of ['key', 'minimum_chrome_version', 'storage']) assert.equal(key in firefox, false, key);
    assert.equal(JSON.stringify(firefox).includes('match_origin_as_fallback'), false);
    assert.equal(JSON.stringify(firefox).includes('use_dynamic_url'), false);
    assert.deepEqual(firefox.permissions, manifest.permissions);
    assert.deepEqual(firefox.host_permissions, manifest.host_permissions);
    assert.deepEqual(firefox.content_scripts[0].matches, manifest.content_scripts[0].matches);
    assert.deepEqual(firefox.content_scripts[0].js, manifest.content_scripts[0].js);
    assert.equal(firefox.manifest_version, 3);
    assert.ok(Number.parseFloat(gecko.strict_min_version) >= 128, 'host permissions granted at install');
  });

  test('the shipped manifest is not changed by making the variant', () => {
    assert.ok(manifest.key && manifest.background.service_worker);
  });
});
