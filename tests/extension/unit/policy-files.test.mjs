// The test suites' managed-policy files: one left by a suite that was killed is removed
// before the next suite starts a browser; a running suite's file is kept.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'phiguard-policy-'));
process.env.PHIGUARD_POLICY_DIR = dir;
const { removeStalePolicyFiles, writeExtensionPolicy } = await import('../lib/policy-files.mjs');

// The id of a process that has exited (ids are not reused this quickly).
function deadPid() {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

test('a file left by a process that is gone is removed, live ones stay', () => {
  const gone = join(dir, `phiguard-extension-test-${deadPid()}-policy.json`);
  const live = join(dir, `phiguard-extension-test-${process.ppid}-policy.json`);
  const foreign = join(dir, 'site-wide.json');
  for (const file of [gone, live, foreign]) writeFileSync(file, '{}');
  const removeOwn = writeExtensionPolicy({ failMode: 'closed' });

  assert.deepEqual(removeStalePolicyFiles(dir).map((name) => join(dir, name)), [gone]);
  assert.equal(existsSync(gone), false);
  assert.ok(existsSync(live), 'a running process keeps its file');
  assert.ok(existsSync(foreign), 'files that are not ours are never touched');
  assert.equal(removeStalePolicyFiles(dir).length, 0, 'our own file stays');
  removeOwn();
});
