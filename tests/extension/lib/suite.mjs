// Setup shared by the end-to-end files: the host must exist (these tests are about the real
// one), fixtures are built, and the fixture server runs for the file.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { buildFixtures } from './build-fixtures.mjs';
import { openFixture } from './page-helpers.mjs';
import { ARTIFACTS_DIR, hostAvailable, hostPath } from './paths.mjs';
import { startServer } from './server.mjs';

export function requireHost() {
  if (!hostAvailable()) {
    throw new Error(`phiguard-host not found at ${hostPath()}: build it (cmake --preset dev && ` +
      'cmake --build --preset dev) or set PHIGUARD_HOST');
  }
}

let built = null;
export async function fixtureServer() {
  built ??= buildFixtures();
  await built;
  return startServer();
}

export function artifactPath(name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

// One browser (with the extension and the real host) and one fixture server for a whole
// test file: started before its first test, closed after its last. The fields are set
// once `before` has run; `open(editor)` loads an editor's fixture page in a new tab.
export function sharedBrowserAndServer() {
  const shared = {
    browser: null,
    server: null,
    open: (editor) => openFixture(shared.browser.context, shared.server, editor),
  };
  before(async () => {
    requireHost();
    shared.server = await fixtureServer();
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}
