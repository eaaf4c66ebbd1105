// Where things are, relative to the repository: one place for every test and script.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TESTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(TESTS_DIR, '..', '..');
export const EXTENSION_DIR = join(REPO_ROOT, 'extension');
export const ARTIFACTS_DIR = join(TESTS_DIR, 'artifacts');
export const BUILD_DIR = join(TESTS_DIR, '.build');
export const FIXTURES_DIR = join(TESTS_DIR, 'fixtures');
export const CHROMIUM = process.env.PHIGUARD_CHROMIUM ?? '/usr/bin/chromium';
export const HOST_NAME = 'com.phiguard.host';

export function extensionId() {
  return readFileSync(join(EXTENSION_DIR, 'EXTENSION_ID'), 'utf8').trim();
}

// The host binary under test: $PHIGUARD_HOST, else the dev preset's build.
export function hostPath() {
  const configured = process.env.PHIGUARD_HOST ?? 'build/dev/host/phiguard-host';
  return isAbsolute(configured) ? configured : join(REPO_ROOT, configured);
}

export function hostAvailable() {
  return existsSync(hostPath());
}
