// The manifest against what depends on it: the id in EXTENSION_ID (host manifests and
// policies name it), the covered sites (sites.js), the files it names, and the permissions
// table in PERMISSIONS.md.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXTENSION_DIR, extensionId } from '../lib/paths.mjs';
import { builtInPatterns } from '../../../extension/src/shared/sites.js';

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

test('PERMISSIONS.md explains every permission the manifest asks for', () => {
  const table = readFileSync(join(EXTENSION_DIR, 'PERMISSIONS.md'), 'utf8');
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
