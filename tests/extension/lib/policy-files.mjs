// Real managed policy for a test browser: a file in /etc/chromium/policies/managed/ that sets
// the extension's 3rdparty settings (verified to fill chrome.storage.managed for an unpacked
// extension, docs/browser-testing.md). Chromium reads it at start; the test removes it after. The
// directory is shared by the whole machine, so the file name carries this process's id and
// every file is removed on exit too. A suite that was killed never reaches its exit handler,
// and its file would go on configuring every browser on the machine (a stale
// `extraSites: ["localhost"]` broke the benchmarks once): files whose writer is no longer
// running are removed when this module loads, before any test browser starts.
import { accessSync, constants, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extensionId } from './paths.mjs';

export const POLICY_DIR = process.env.PHIGUARD_POLICY_DIR ?? '/etc/chromium/policies/managed';
const written = new Set();
const OURS = /^phiguard-extension-test-(\d+)-.*\.json$/;

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM'; // alive, someone else's
  }
}

// Removes our policy files left by processes that are gone; returns their names.
export function removeStalePolicyFiles(dir = POLICY_DIR) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const pid = Number(OURS.exec(name)?.[1]);
    return pid > 0 && pid !== process.pid && !running(pid);
  });
  for (const name of stale) rmSync(join(dir, name), { force: true });
  return stale;
}

removeStalePolicyFiles();

process.on('exit', () => { for (const file of written) rmSync(file, { force: true }); });

export function policyWritable() {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// Policy files other than ours: they can change what our browser does (another suite's
// NativeMessagingUserLevelHosts: false would hide our host manifest), so tests report them.
export function foreignPolicyFiles() {
  try {
    return readdirSync(POLICY_DIR).filter((name) => !name.startsWith('phiguard-extension-test-'));
  } catch {
    return [];
  }
}

// Writes the extension's managed configuration; returns a function that removes it.
export function writeExtensionPolicy(config, label = 'policy') {
  const file = join(POLICY_DIR, `phiguard-extension-test-${process.pid}-${label}.json`);
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId()]: config } } }, null, 2));
  written.add(file);
  return () => {
    rmSync(file, { force: true });
    written.delete(file);
  };
}
