// The incremental text model (issue 16: re-read only the blocks a change touched) against a
// whole re-read, in each fixture editor that is a contenteditable, after what a person does:
// typing, Enter, deleting across blocks, pasting several lines, undo and redo. The model's
// text and segments (offsets and text nodes) must be exactly those of readEditable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EDITORS } from '../lib/fixtures.mjs';
import { launchPlain } from '../lib/plain-browser.mjs';
import { startServer } from '../lib/server.mjs';

let browser;
let context;
let server;

before(async () => {
  server = await startServer();
  browser = await launchPlain();
  context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// The editing root as the page holds it: in the fixture's iframe, or in an open shadow root.
async function openEditor(editor) {
  const page = await context.newPage();
  await page.goto(server.url(`/fixtures/${editor.name}.html`));
  await page.waitForFunction(() => window.__fixture?.ready === true);
  const frame = editor.frame ? await (await page.waitForSelector(editor.frame)).contentFrame() : page.mainFrame();
  const root = await frame.locator(editor.editor).elementHandle();
  // The module is imported by the top page; its observer watches the frame's nodes as well.
  await page.evaluate(async (el) => {
    const { EditableModel, readEditable } = await import('/ext/src/content/text-model.js');
    const model = new EditableModel(el);
    model.read();
    window.compareModel = () => {
      const kept = model.read();
      const full = readEditable(el);
      const same = kept.segments.length === full.segments.length && kept.segments.every((s, i) =>
        s.start === full.segments[i].start && s.end === full.segments[i].end && s.node === full.segments[i].node);
      return { kept: kept.text, full: full.text, sameSegments: same };
    };
  }, root);
  return { page, frame };
}

// A key, then the editor's own work for it (some editors render in a microtask or a frame,
// Lexical takes the selection from selectionchange).
async function press(page, key) {
  await page.keyboard.press(key);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

async function expectSame(page, step) {
  // After the editor's own work for the key (some editors render in a microtask or a frame).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const { kept, full, sameSegments } = await page.evaluate(() => window.compareModel());
  assert.equal(kept, full, `${step}: the kept model's text is a whole re-read's`);
  assert.ok(sameSegments, `${step}: the kept model's segments are a whole re-read's`);
  return kept;
}

describe('the kept text model equals a whole re-read (issue 16)', () => {
  for (const editor of EDITORS.filter((e) => e.name !== 'textarea')) {
    test(editor.name, async () => {
      const { page, frame } = await openEditor(editor);
      await frame.click(editor.editor);
      for (const [i, line] of ['alpha one two', 'beta three four', 'gamma five six', 'delta seven'].entries()) {
        if (i > 0) await press(page, 'Enter');
        await page.keyboard.type(line);
      }
      let text = await expectSame(page, 'typing paragraphs');
      assert.match(text, /alpha one two\nbeta three four\ngamma five six\ndelta seven/);

      // In the middle of a paragraph that is not the last.
      await press(page, 'ArrowUp');
      await press(page, 'ArrowUp');
      await press(page, 'Home');
      await page.keyboard.type('x');
      await expectSame(page, 'typing in an earlier block');

      // From inside one paragraph into the next: two blocks become one.
      await press(page, 'ArrowRight');
      await press(page, 'ArrowRight');
      await press(page, 'Shift+ArrowDown');
      await press(page, 'Backspace');
      const deleted = await expectSame(page, 'deleting across blocks');
      assert.ok(deleted.split('\n').length < text.split('\n').length, 'a block boundary was deleted');

      await page.evaluate(() => navigator.clipboard.writeText('pasted one\npasted two\npasted three'));
      await press(page, 'Control+V');
      const pasted = await expectSame(page, 'pasting three lines');
      assert.match(pasted, /pasted one/);
      assert.match(pasted, /pasted three/);

      await press(page, 'Control+Z');
      const undone = await expectSame(page, 'undo');
      // The ProseMirror fixture has no history plugin: there undo and redo change nothing.
      const history = editor.name !== 'prosemirror';
      if (history) assert.notEqual(undone, pasted, 'undo changed the text');
      await press(page, 'Control+Shift+Z');
      text = await expectSame(page, 'redo');
      if (history && text === undone) {
        await press(page, 'Control+Y');
        text = await expectSame(page, 'redo (Control+Y)');
      }
      if (history) assert.notEqual(text, undone, 'redo changed the text');

      await press(page, 'Control+A');
      await press(page, 'Backspace');
      await page.keyboard.type('fresh');
      await expectSame(page, 'select all, delete, type');
      await page.close();
    });
  }
});

describe('only the blocks a change touched are read again (issue 16)', () => {
  test('a text change in one paragraph re-reads that paragraph; the others keep their segments', async () => {
    const page = await context.newPage();
    await page.goto(server.url('/blank.html'));
    const result = await page.evaluate(async () => {
      const { EditableModel, readEditable } = await import('/ext/src/content/text-model.js');
      document.body.innerHTML = `<div id="e" contenteditable="true">${
        Array.from({ length: 200 }, (_, i) => `<p>Paragraph <b>${i}</b> of the post</p>`).join('')}</div>`;
      const root = document.getElementById('e');
      const model = new EditableModel(root);
      const first = model.read();
      const paragraph = root.children[100];
      const where = first.segments.findIndex((s) => s.node === paragraph.firstChild);
      paragraph.firstChild.data = 'Paragraph, typed in, ';
      const second = model.read();
      const full = readEditable(root);
      return {
        same: second.text === full.text && second.segments.every((s, i) =>
          s.start === full.segments[i].start && s.end === full.segments[i].end && s.node === full.segments[i].node),
        // Text segments; a "\n" between blocks is a new object at each read.
        keptBefore: second.segments.slice(0, where).every((s, i) => !s.node || s === first.segments[i]),
        newAfter: second.segments.slice(where).every((s, i) => s !== first.segments[where + i]),
        modelIsNew: second !== first,
      };
    });
    assert.ok(result.same, 'the text and segments are a whole re-read\'s');
    assert.ok(result.modelIsNew, 'a change makes a new model');
    assert.ok(result.keptBefore, 'the paragraphs before the change were not read again');
    assert.ok(result.newAfter, 'the segments after the change were moved in copies, the old model left as it was');
    await page.close();
  });
});

describe('edit watch of a contenteditable (issue 16)', () => {
  test('every change of the text is seen from the DOM alone, text hidden by an attribute included, with no late look after the events', async () => {
    const page = await context.newPage();
    await page.goto(server.url('/blank.html'));
    const result = await page.evaluate(async () => {
      const { EditableModel } = await import('/ext/src/content/text-model.js');
      const { EditWatch } = await import('/ext/src/content/edit-watch.js');
      document.body.innerHTML = '<div id="e" contenteditable="true"><p>One</p><p id="two">Two</p></div>';
      const element = document.getElementById('e');
      const model = new EditableModel(element);
      const session = { kind: 'editable', element, connected: true, text: () => model.read().text };
      const edits = [];
      const timers = [];
      const setTimeoutBefore = window.setTimeout;
      window.setTimeout = (fn, ms) => { timers.push(ms); return setTimeoutBefore(fn, ms); };
      new EditWatch({ onEdit: (_, text) => edits.push(text) }).watch(session);
      const settle = () => new Promise((r) => setTimeoutBefore(r, 10));
      element.dispatchEvent(new InputEvent('beforeinput', { inputType: 'insertText', data: '!', bubbles: true }));
      document.getElementById('two').firstChild.data = 'Two!';
      await settle();
      document.getElementById('two').hidden = true;
      await settle();
      window.setTimeout = setTimeoutBefore;
      return { edits, timers };
    });
    assert.deepEqual(result.edits, ['One\nTwo!', 'One'], 'the typed text, then the text once a paragraph was hidden');
    assert.deepEqual(result.timers, [], 'no timer was set for the beforeinput');
    await page.close();
  });
});
