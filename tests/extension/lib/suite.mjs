// Setup shared by the end-to-end files: the host must exist (these tests are about the real
// one), fixtures are built, and the fixture server runs for the file.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures } from './build-fixtures.mjs';
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
