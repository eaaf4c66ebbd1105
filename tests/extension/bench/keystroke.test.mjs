// The keystroke benchmark (bench/keystroke.mjs) runs and gives a row per editor and caret,
// on a small post and two keystrokes. Its numbers are not checked against anything: a
// benchmark on a shared 2-core machine, never a timed test (docs/design.md "Budgets").
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { EDITORS } from '../lib/fixtures.mjs';
import { TESTS_DIR, hostPath } from '../lib/paths.mjs';
import { requireHost } from '../lib/suite.mjs';

test('the keystroke benchmark prints a row for every editor, at the end and in the middle', async () => {
  requireHost();
  const { stdout } = await promisify(execFile)(process.execPath,
    [join(TESTS_DIR, 'bench', 'keystroke.mjs'), '--keys', '2', '--size', '2048', '--json'],
    { env: { ...process.env, PHIGUARD_HOST: hostPath() }, timeout: 480000, maxBuffer: 1 << 20 });
  const rows = JSON.parse(stdout);
  assert.deepEqual(rows.map((r) => `${r.editor}/${r.caret}`),
    EDITORS.flatMap((e) => [`${e.name}/end`, `${e.name}/middle`]));
  for (const row of rows) {
    const what = `${row.editor} ${row.caret}`;
    assert.ok(row.chars >= 2048, `${what}: the post was typed in (${row.chars} chars)`);
    for (const field of ['movedP50', 'movedP95', 'drawnP50', 'drawnP95']) {
      assert.ok(Number.isFinite(row[field]) && row[field] > 0, `${what}: ${field} is ${row[field]}`);
    }
    assert.ok(row.drawnP50 >= row.movedP50, `${what}: the rescan is drawn after the underlines moved`);
    // /proc gives the page thread's CPU time; where it does, both columns have numbers.
    if (existsSync('/proc/self/task')) {
      assert.ok(Number.isFinite(row.pageP50) && row.pageP50 > 0, `${what}: pageP50 is ${row.pageP50}`);
      assert.ok(Number.isFinite(row.cpuMean), `${what}: cpuMean is ${row.cpuMean}`);
    }
  }
});

test('the floor mode measures every floor level and ours on a textarea', async () => {
  requireHost();
  const { stdout } = await promisify(execFile)(process.execPath,
    [join(TESTS_DIR, 'bench', 'keystroke.mjs'), '--floor', '--rounds', '1', '--editors', 'textarea',
      '--keys', '2', '--size', '2048', '--json'],
    { env: { ...process.env, PHIGUARD_HOST: hostPath() }, timeout: 300000, maxBuffer: 1 << 20 });
  const { load, rows } = JSON.parse(stdout);
  assert.ok(Number.isFinite(load.p50), `load average ${load.p50}`);
  assert.deepEqual(rows.map((r) => `${r.editor}/${r.caret}`), ['textarea/end', 'textarea/middle']);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row.cells), ['floor 0', 'floor 1', 'floor 2', 'floor 3', 'ours']);
    // Level 3 draws a textarea's underlines as elements at both carets (ours may have none
    // in view at the middle one).
    assert.equal(row.cells['floor 3'].drawer, 'elements');
    if (existsSync('/proc/self/task')) {
      for (const [name, cell] of Object.entries(row.cells)) {
        assert.ok(Number.isFinite(cell.cpuP50), `${row.caret} ${name}: cpuP50 is ${cell.cpuP50}`);
      }
    }
  }
});
