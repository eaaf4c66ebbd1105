// A copy of extension/ for a test browser. The shipped manifest covers only the real social
// sites; the copy also lets the content script onto the fixture server (http://127.0.0.1),
// and holds the host permission for http://localhost, which the extraSites test turns on
// through policy. The "key" is kept, so the copy has the real extension id.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_DIR } from './paths.mjs';

export const FIXTURE_PATTERN = 'http://127.0.0.1/*';
export const EXTRA_SITE_PATTERN = 'http://localhost/*';

// source: the extension folder to copy (another checkout's, to compare with this one).
export function makeTestExtension(parent = mkdtempSync(join(tmpdir(), 'phiguard-ext-')), source = EXTENSION_DIR) {
  const dir = join(parent, 'extension');
  cpSync(source, dir, { recursive: true, filter: (src) => !src.includes('/firefox') });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.content_scripts[0].matches.push(FIXTURE_PATTERN);
  manifest.host_permissions.push(FIXTURE_PATTERN, EXTRA_SITE_PATTERN);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return dir;
}
