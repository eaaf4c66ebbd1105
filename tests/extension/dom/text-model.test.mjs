// Text extraction and UTF-16 offset -> Range mapping in a real browser, over markup the way
// each editor writes it: block boundaries become "\n", trailing <br>s add nothing, offsets
// count UTF-16 code units (emoji, combining marks, CRLF), and reading never changes the DOM.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchPlain } from '../lib/plain-browser.mjs';
import { startServer } from '../lib/server.mjs';

// In the page: `window.ssnParagraphs(count)` writes a contenteditable of `count` paragraphs,
// each with one SSN, and returns its model, geometry, text and the SSNs as findings (in order).
async function installSsnParagraphs(page) {
  await page.evaluate(() => {
    window.ssnParagraphs = async (count) => {
      const { EditableModel } = await import('/ext/src/content/text-model.js');
      const { EditableGeometry } = await import('/ext/src/content/editable-geometry.js');
      const paragraphs = Array.from({ length: count }, (_, i) => `<p>Paragraph ${i}: SSN 536-22-${8600 + i}</p>`).join('');
      document.body.innerHTML = `<div id="e" contenteditable="true" style="font:16px/20px sans-serif;width:500px">${paragraphs}</div>`;
      const root = document.getElementById('e');
      const model = new EditableModel(root);
      const geometry = new EditableGeometry(root);
      const { text } = model.read();
      const findings = [...text.matchAll(/536-22-\d{4}/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
      return { root, model, geometry, text, findings };
    };
  });
}

// [name, html of the editing root, expected text, needles that must map back exactly,
//  transform applied to text nodes after parsing]. A needle is the text to find; its Range
//  must hold the same characters minus the "\n"s the model put between blocks, or, given as
//  [needle, rangeText], exactly rangeText.
const CASES = [
  // Plain and structural
  ['one text node', '<div contenteditable="true">Hello SSN 536-22-8741</div>', 'Hello SSN 536-22-8741', ['536-22-8741']],
  ['several paragraphs', '<div contenteditable="true"><p>First line</p><p>SSN 536-22-8741</p><p>Third</p></div>',
    'First line\nSSN 536-22-8741\nThird', ['SSN 536-22-8741', 'Third', 'line\nSSN']],
  ['br inside a block', '<div contenteditable="true"><p>a<br>b</p><p>c<br><br>d</p></div>', 'a\nb\nc\n\nd', ['b', 'd']],
  ['source whitespace between blocks', '<div contenteditable="true">\n  <p>One</p>\n  <p>Two words</p>\n</div>', 'One\nTwo words', ['Two words']],
  ['list items', '<div contenteditable="true"><ul><li>One</li><li>MRN 44820193</li></ul></div>', 'One\nMRN 44820193', ['44820193']],
  ['aria-hidden decoration is skipped', '<div contenteditable="true"><p>Visible <span aria-hidden="true">hidden </span>text</p></div>', 'Visible text', ['text']],
  ['inline formatting splits text nodes', '<div contenteditable="true"><p>Patient <b>John</b> <i>Sm</i>ith</p></div>', 'Patient John Smith', ['John Smith']],
  // Non-ASCII: offsets are UTF-16 code units
  ['emoji before a finding', '<div contenteditable="true"><p>😀👍🏽 Patient John</p></div>', '😀👍🏽 Patient John', ['John', '👍🏽']],
  ['combining marks', '<div contenteditable="true"><p>Jose\u0301 Nu\u0303nez, SSN 536-22-8741</p></div>', 'Jose\u0301 Nu\u0303nez, SSN 536-22-8741', ['Jose\u0301 Nu\u0303nez', '536-22-8741']],
  ['CRLF inside a pre-wrap text node', '<div contenteditable="true" style="white-space:pre-wrap">line one\nSSN 536-22-8741</div>',
    'line one\r\nSSN 536-22-8741', ['536-22-8741', ['one\r\nSSN', 'one\r\nSSN']], 'crlf'],
  // Editors
  ['Draft.js blocks with an empty block', `<div class="public-DraftEditor-content" contenteditable="true" role="textbox"><div data-contents="true">
      <div data-block="true" data-offset-key="a-0-0"><div data-offset-key="a-0-0" class="public-DraftStyleDefault-block"><span data-offset-key="a-0-0"><span data-text="true">Hello</span></span></div></div>
      <div data-block="true" data-offset-key="b-0-0"><div data-offset-key="b-0-0" class="public-DraftStyleDefault-block"><span data-offset-key="b-0-0"><br data-text="true"></span></div></div>
      <div data-block="true" data-offset-key="c-0-0"><div data-offset-key="c-0-0" class="public-DraftStyleDefault-block"><span data-offset-key="c-0-0"><span data-text="true">SSN 536-22-8741</span></span></div></div>
    </div></div>`, 'Hello\n\nSSN 536-22-8741', ['536-22-8741']],
  ['Lexical paragraphs and formatted text', `<div contenteditable="true" data-lexical-editor="true" role="textbox"><p dir="ltr"><span data-lexical-text="true">Hello</span></p><p><br></p><p dir="ltr"><span data-lexical-text="true">SSN </span><strong data-lexical-text="true">536-22-8741</strong></p></div>`,
    'Hello\n\nSSN 536-22-8741', ['SSN 536', '536-22-8741']],
  ['ProseMirror hard break and trailing breaks', `<div class="ProseMirror" contenteditable="true"><p>Line one<br>line two</p><p><img class="ProseMirror-separator" alt=""><br class="ProseMirror-trailingBreak"></p><p>SSN 536-22-8741<br><br class="ProseMirror-trailingBreak"></p></div>`,
    'Line one\nline two\n\nSSN 536-22-8741\n', ['line two', '536-22-8741']],
  ['Quill paragraphs', '<div class="ql-editor" contenteditable="true"><p>Hello <strong>Maria</strong></p><p><br></p><p>SSN 536-22-8741</p></div>',
    'Hello Maria\n\nSSN 536-22-8741', ['Maria', '536-22-8741']],
  ['Slate leaves', `<div data-slate-editor="true" contenteditable="true"><div data-slate-node="element"><span data-slate-node="text"><span data-slate-leaf="true"><span data-slate-string="true">Seen today: Ana</span></span></span></div><div data-slate-node="element"><span data-slate-node="text"><span data-slate-leaf="true"><span data-slate-zero-width="n" data-slate-length="0">\uFEFF<br></span></span></span></div></div>`,
    'Seen today: Ana\n\uFEFF', ['Ana']],
];

let browser;
let server;
let page;

before(async () => {
  server = await startServer();
  browser = await launchPlain();
  page = await browser.newPage();
  await page.goto(server.url('/blank.html'));
  await page.evaluate(async () => {
    window.textModel = await import('/ext/src/content/text-model.js');
    window.offsets = await import('/ext/src/content/offsets.js');
    // What the textarea mirror must give for `spans`: their rects in a div that holds the
    // same text in the same box, `below` px lower on the page, moved up to the field.
    window.divRects = (div, spans, below) => {
      const range = document.createRange();
      return spans.map(({ start, end }) => {
        range.setStart(div.firstChild, start);
        range.setEnd(div.firstChild, end);
        return [...range.getClientRects()].map((r) => ({ left: r.left, top: r.top - below, width: r.width }));
      });
    };
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// Parses the case into the page, reads it, and maps every needle back to a Range.
function runCase(html, needles, transform) {
  return page.evaluate(([markup, wanted, how]) => {
    const holder = document.createElement('div');
    holder.innerHTML = markup;
    document.body.replaceChildren(holder);
    if (how === 'crlf') {
      const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) n.data = n.data.replace(/\n/g, '\r\n');
    }
    const root = holder.querySelector('[contenteditable]');
    const before = holder.innerHTML;
    const records = [];
    const observer = new MutationObserver((r) => records.push(...r));
    observer.observe(holder, { subtree: true, childList: true, characterData: true, attributes: true });
    const { text, segments } = window.textModel.readEditable(root);
    const mapped = wanted.map((needle) => {
      const start = text.indexOf(needle);
      const range = window.offsets.rangeForOffsets(segments, start, start + needle.length, document);
      return { start, range: range ? range.toString() : null };
    });
    records.push(...observer.takeRecords());
    observer.disconnect();
    return { text, mapped, unchanged: holder.innerHTML === before && records.length === 0 };
  }, [html, needles, transform ?? null]);
}

describe('readEditable and rangeForOffsets', () => {
  for (const [name, html, expected, needles, transform] of CASES) {
    test(name, async () => {
      const pairs = needles.map((n) => (Array.isArray(n) ? n : [n, n.replace(/\n/g, '')]));
      const { text, mapped, unchanged } = await runCase(html, pairs.map(([n]) => n), transform);
      assert.equal(text, expected);
      pairs.forEach(([needle, rangeText], i) => {
        assert.ok(mapped[i].start >= 0, `"${needle}" is in the text`);
        assert.equal(mapped[i].range, rangeText, `"${needle}" maps back to its characters`);
      });
      assert.ok(unchanged, 'reading did not change the DOM');
    });
  }
});

describe('positions', () => {
  test('a start on a block boundary moves into the next block, an end back into the previous one', async () => {
    const result = await page.evaluate(() => {
      document.body.innerHTML = '<div id="r" contenteditable="true"><p id="a">ab</p><p id="b">cd</p></div>';
      const { segments } = window.textModel.readEditable(document.getElementById('r'));
      const s = window.offsets.startPosition(segments, 2); // on the "\n"
      const e = window.offsets.endPosition(segments, 3); // just after the "\n"
      return { start: [s.node.parentNode.id, s.offset], end: [e.node.parentNode.id, e.offset] };
    });
    assert.deepEqual(result, { start: ['b', 0], end: ['a', 2] });
  });

  test('empty or out-of-range spans give no Range', async () => {
    const result = await page.evaluate(() => {
      document.body.innerHTML = '<div id="r" contenteditable="true">abc</div>';
      const { segments } = window.textModel.readEditable(document.getElementById('r'));
      return [
        window.offsets.rangeForOffsets(segments, 1, 1, document),
        window.offsets.rangeForOffsets(segments, 5, 9, document),
      ];
    });
    assert.deepEqual(result, [null, null]);
  });

  test('a caret position maps back to its text offset', async () => {
    const offsets = await page.evaluate(() => {
      document.body.innerHTML = '<div id="r" contenteditable="true"><p>😀 ab</p><p>cd<b>ef</b></p></div>';
      const root = document.getElementById('r');
      const { segments } = window.textModel.readEditable(root);
      const bold = root.querySelector('b').firstChild;
      const second = root.querySelectorAll('p')[1];
      return [
        window.textModel.offsetOfPosition(segments, bold, 1),
        window.textModel.offsetOfPosition(segments, second, 1), // between "cd" and <b>
        window.textModel.offsetOfPosition(segments, document.createElement('span'), 0),
      ];
    });
    // "😀 ab\ncdef": 😀 is two code units, so "cd" starts at 6 and "ef" at 8.
    assert.deepEqual(offsets, [9, 8, -1]);
  });
});

describe('mirror geometry for textarea and input', () => {
  test('textarea characters are where the same text lays out in a div with the same box', async () => {
    const result = await page.evaluate(async () => {
      const { MirrorGeometry } = await import('/ext/src/content/mirror-geometry.js');
      const style = 'position:absolute;left:40px;width:320px;height:90px;padding:8px;border:2px solid #888;font:16px/22px monospace;box-sizing:border-box;white-space:pre-wrap;overflow-wrap:break-word;overflow-y:scroll;';
      document.body.innerHTML = `<textarea id="t" style="${style}top:20px"></textarea><div id="d" style="${style}top:200px"></div><div id="m"></div>`;
      const text = 'Patient John Smith SSN 536-22-8741 and then a long line that must wrap twice or more in this box 😀 end';
      const ta = document.getElementById('t');
      ta.value = text;
      const div = document.getElementById('d');
      div.textContent = text;
      const mirror = new MirrorGeometry(document.getElementById('m'));
      const spans = ['536-22-8741', 'wrap', 'end'].map((needle) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length }));
      const fromMirror = mirror.rects(ta, spans);
      const fromDiv = window.divRects(div, spans, 180);
      ta.scrollTop = 22;
      const scrolled = mirror.rects(ta, [spans[2]]);
      return { fromMirror, fromDiv, scrolled, scrollTop: ta.scrollTop };
    });
    result.fromMirror.forEach((rects, i) => {
      assert.equal(rects.length, result.fromDiv[i].length);
      rects.forEach((r, j) => {
        const want = result.fromDiv[i][j];
        assert.ok(Math.abs(r.left - want.left) <= 1 && Math.abs(r.top - want.top) <= 1 && Math.abs(r.width - want.width) <= 1,
          `span ${i}: ${JSON.stringify(r)} vs ${JSON.stringify(want)}`);
      });
    });
    assert.ok(result.scrollTop > 0);
    assert.ok(Math.abs(result.scrolled[0][0].top - (result.fromMirror[2][0].top - result.scrollTop)) <= 1, 'scrolling moves the rect up');
  });

  test('with our shadow root\'s stylesheet, the mirror gives the rects a div with the field\'s box does', async () => {
    const result = await page.evaluate(async () => {
      const { MirrorGeometry } = await import('/ext/src/content/mirror-geometry.js');
      const { UI_CSS } = await import('/ext/src/ui/styles.js');
      const style = 'position:absolute;left:40px;width:320px;height:90px;padding:8px;border:2px solid #888;font:16px/22px monospace;box-sizing:border-box;white-space:pre-wrap;overflow-wrap:break-word;overflow-y:scroll;text-indent:12px;';
      document.body.innerHTML = `<textarea id="t" style="${style}top:20px"></textarea><div id="d" style="${style}top:200px"></div>`;
      const text = 'Patient John Smith SSN 536-22-8741\nand then a long line that must wrap twice or more in this box 😀 end\n\nlast 555-0142';
      const ta = document.getElementById('t');
      ta.value = text;
      const div = document.getElementById('d');
      div.textContent = text;
      // As ui-root.js holds it: in a shadow root that adopts UI_CSS (a UiRoot itself would
      // stay in the page for the tests after this one).
      const host = document.body.appendChild(document.createElement('div'));
      const shadow = host.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(UI_CSS);
      shadow.adoptedStyleSheets = [sheet];
      const mirror = new MirrorGeometry(shadow.appendChild(document.createElement('div')));
      const spans = ['536-22-8741', 'then', 'wrap', 'end', '555-0142'].map((needle) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length }));
      const fromMirror = mirror.rects(ta, spans);
      const fromDiv = window.divRects(div, spans, 180);
      mirror.dispose();
      return { fromMirror, fromDiv };
    });
    const near = (r, w) => Math.abs(r.left - w.left) <= 1 && Math.abs(r.top - w.top) <= 1 && Math.abs(r.width - w.width) <= 1;
    result.fromMirror.forEach((rects, i) => {
      for (const r of rects) assert.ok(result.fromDiv[i].some((w) => near(r, w)), `span ${i}: ${JSON.stringify(r)} in ${JSON.stringify(result.fromDiv[i])}`);
      // Every rect inside the field's content box is measured (lines further down may not be).
      for (const w of result.fromDiv[i].filter((d) => d.top >= 30 && d.top + 22 <= 100)) {
        assert.ok(rects.some((r) => near(r, w)), `span ${i}: ${JSON.stringify(w)} measured`);
      }
    });
    assert.ok(result.fromMirror.slice(0, 2).every((rects) => rects.length > 0), 'the first lines are measured');
  });

  test('input characters scroll with the input', async () => {
    const result = await page.evaluate(async () => {
      const { MirrorGeometry } = await import('/ext/src/content/mirror-geometry.js');
      document.body.innerHTML = '<input id="i" style="position:absolute;left:10px;top:10px;width:120px;height:40px;padding:4px;font:16px monospace"><div id="m"></div>';
      const input = document.getElementById('i');
      input.value = 'short then SSN 536-22-8741 at the far end';
      const mirror = new MirrorGeometry(document.getElementById('m'));
      const span = [{ start: 15, end: 26 }];
      const before = mirror.rects(input, span)[0][0];
      input.scrollLeft = 100;
      const afterScroll = mirror.rects(input, span)[0][0];
      const box = input.getBoundingClientRect();
      return { before, afterScroll, box: { top: box.top, bottom: box.bottom } };
    });
    assert.ok(Math.abs(result.before.left - result.afterScroll.left - 100) <= 1);
    assert.ok(result.before.top >= result.box.top && result.before.top + result.before.height <= result.box.bottom + 1,
      'the line sits inside the input vertically');
  });
});

describe('incremental geometry (issue 16: re-measure only what changed)', () => {
  // A textarea of `lines` lines ("line N: SSN 536-22-87NN"), the mirror under test, a second
  // mirror measuring from scratch each time (the reference), and the spans of every SSN.
  const TEXTAREA_SETUP = String.raw`
    window.setUp = async (lines, height) => {
      const { MirrorGeometry } = await import('/ext/src/content/mirror-geometry.js');
      document.body.innerHTML = '<textarea id="t" style="position:absolute;left:20px;top:10px;width:420px;height:' + height + 'px;padding:6px;border:1px solid #888;font:15px/20px sans-serif;box-sizing:border-box;text-indent:24px"></textarea><div id="m"></div><div id="fresh"></div>';
      const ta = document.getElementById('t');
      ta.value = Array.from({ length: lines }, (_, i) => 'line ' + i + ': SSN 536-22-' + String(8700 + i) + (i % 7 === 3 ? ' and a longer tail that wraps onto a second line in this narrow box' : '')).join('\n');
      window.ta = ta;
      window.mirror = new MirrorGeometry(document.getElementById('m'));
      window.freshRects = (spans) => {
        const fresh = new MirrorGeometry(document.getElementById('fresh'));
        const rects = fresh.rects(ta, spans);
        fresh.dispose();
        return rects;
      };
      window.spans = () => [...ta.value.matchAll(/536-22-\d{4}/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
    };`;

  test('an edit rewrites only the mirror lines it touched, and the rects are those of a fresh layout', async () => {
    const result = await page.evaluate(async (setup) => {
      (0, eval)(setup);
      await window.setUp(24, 700); // the whole field inside the 720 px viewport
      const { ta, mirror } = window;
      mirror.rects(ta, window.spans());
      const container = document.getElementById('m');
      const observer = new MutationObserver(() => {});
      observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
      const steps = [];
      const step = (name, edit) => {
        edit();
        const rects = mirror.rects(ta, window.spans());
        const records = observer.takeRecords();
        const fresh = window.freshRects(window.spans());
        const far = rects.some((list, i) => list.length !== fresh[i].length || list.some((r, j) =>
          Math.abs(r.left - fresh[i][j].left) > 0.5 || Math.abs(r.top - fresh[i][j].top) > 0.5 || Math.abs(r.width - fresh[i][j].width) > 0.5));
        steps.push({
          name,
          matches: !far,
          measured: rects.filter((list) => list.length).length,
          texts: records.filter((r) => r.type === 'characterData').map((r) => r.target.data.length),
          added: records.reduce((n, r) => n + r.addedNodes.length, 0),
          removed: records.reduce((n, r) => n + r.removedNodes.length, 0),
          attributes: records.filter((r) => r.type === 'attributes').length,
        });
      };
      const line20 = ta.value.indexOf('line 20:');
      step('a character typed in line 20', () => ta.setRangeText('x', line20 + 4, line20 + 4, 'end'));
      step('line 20 split in two', () => ta.setRangeText('\n', line20 + 6, line20 + 6, 'end'));
      step('the two joined again, and line 3 lost its tail', () => {
        ta.setRangeText('', line20 + 6, line20 + 7, 'end');
        const tail = ta.value.indexOf(' and a longer tail');
        ta.setRangeText('', tail, ta.value.indexOf('\n', tail), 'end');
      });
      step('nothing changed', () => {});
      observer.disconnect();
      return { steps, lineLength: ta.value.split('\n')[20].length, total: ta.value.length };
    }, TEXTAREA_SETUP);
    const [typed, split, joined, same] = result.steps;
    for (const s of result.steps) {
      assert.ok(s.matches, `${s.name}: rects as a fresh layout gives them`);
      assert.equal(s.attributes, 0, `${s.name}: the mirror's style is not written again`);
      assert.equal(s.measured, 24, `${s.name}: every SSN in the field, all of it on screen, is measured`);
    }
    assert.deepEqual(typed.texts, [result.lineLength], 'one line rewritten, not the whole text');
    assert.ok(typed.texts[0] < result.total / 20);
    assert.deepEqual([typed.added, typed.removed], [0, 0]);
    assert.equal(split.added, 1, 'a new line is one new block');
    assert.ok(split.texts.length <= 1);
    assert.equal(joined.removed, 1);
    assert.deepEqual([same.texts.length, same.added, same.removed], [0, 0, 0]);
  });

  test('lines scrolled out of the field are not measured; scrolled into view they are', async () => {
    const result = await page.evaluate(async (setup) => {
      (0, eval)(setup);
      await window.setUp(60, 110);
      const { ta, mirror } = window;
      const spans = window.spans();
      const top = mirror.rects(ta, spans).map((list) => list.length > 0);
      ta.scrollTop = ta.scrollHeight;
      const bottom = mirror.rects(ta, spans);
      const fresh = window.freshRects(spans);
      return {
        topShown: top.map((shown, i) => (shown ? i : -1)).filter((i) => i >= 0),
        bottomShown: bottom.map((list, i) => (list.length ? i : -1)).filter((i) => i >= 0),
        same: bottom.every((list, i) => list.every((r, j) => Math.abs(r.top - fresh[i][j].top) <= 0.5)),
        box: ta.getBoundingClientRect().toJSON(),
        inBox: bottom.flat().every((r) => r.top + r.height >= ta.getBoundingClientRect().top - 1 && r.top <= ta.getBoundingClientRect().bottom + 1),
      };
    }, TEXTAREA_SETUP);
    assert.ok(result.topShown.length > 0 && result.topShown.length < 8, `at the top: the first lines only, ${result.topShown}`);
    assert.ok(result.topShown.every((i) => i < 8));
    assert.ok(result.bottomShown.length > 0 && result.bottomShown.every((i) => i > 50), `at the bottom: the last lines only, ${result.bottomShown}`);
    assert.ok(result.same, 'the rects measured are a fresh layout\'s');
    assert.ok(result.inBox, 'every rect measured lies on the field');
  });

  test('a key on lines that show no finding measures nothing; a resize, a font change, a scroll or an edit that moves lines measures again', async () => {
    const result = await page.evaluate(async () => {
      const { MirrorGeometry } = await import('/ext/src/content/mirror-geometry.js');
      const tail = ' and a longer tail that wraps onto more lines in this narrow box'.repeat(3);
      // Lines 0-2 show at first; the SSNs are on line 4 and after, below the field.
      const value = ['intro line', 'a short line', 'a line with' + tail, 'one more', 'SSN 536-22-8704',
        ...Array.from({ length: 30 }, (_, i) => (i % 5 ? 'filler ' + i : 'SSN 536-22-' + (8710 + i)))].join('\n');
      // Lines 0-5 show at first (line 5 in part), the SSN is on line 6.
      const short = ['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'SSN 536-22-8706',
        ...Array.from({ length: 20 }, (_, i) => 'filler ' + i)].join('\n');
      const scenario = (name, change, text = value) => {
        document.body.innerHTML = '<textarea id="t" style="position:absolute;left:20px;top:10px;width:300px;height:110px;padding:6px;border:1px solid #888;font:15px/20px sans-serif;box-sizing:border-box"></textarea><div id="m"></div><div id="fresh"></div>';
        const ta = document.getElementById('t');
        ta.value = text;
        const spans = () => [...ta.value.matchAll(/536-22-\d{4}/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
        const container = document.getElementById('m');
        const mirror = new MirrorGeometry(container);
        const first = mirror.rects(ta, spans());
        const observer = new MutationObserver(() => {});
        observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
        // A key on line 0, which shows and holds no finding.
        ta.setRangeText('x', 3, 3, 'end');
        const typed = mirror.rects(ta, spans());
        const written = observer.takeRecords().length;
        observer.disconnect();
        change(ta);
        const after = mirror.rects(ta, spans());
        const fresh = new MirrorGeometry(document.getElementById('fresh'));
        const want = fresh.rects(ta, spans());
        fresh.dispose();
        mirror.dispose();
        const matches = after.every((list, i) => list.length === want[i].length && list.every((r, j) =>
          Math.abs(r.left - want[i][j].left) <= 0.5 && Math.abs(r.top - want[i][j].top) <= 0.5 && Math.abs(r.width - want[i][j].width) <= 0.5));
        return {
          name, matches, written,
          shownBefore: first.filter((l) => l.length).length + typed.filter((l) => l.length).length,
          shownAfter: after.filter((l) => l.length).length,
        };
      };
      return [
        scenario('a resize', (ta) => { ta.style.height = '300px'; }),
        scenario('a font change', (ta) => { ta.style.lineHeight = '9px'; }),
        scenario('a scroll', (ta) => { ta.scrollTop = ta.scrollHeight; }),
        scenario('an edit that joins the lines above the findings', (ta) => { ta.setRangeText(' ', ta.value.indexOf('\na line'), ta.value.indexOf('\nSSN'), 'end'); }),
        scenario('an edit within one line that shortens it', (ta) => {
          const at = ta.value.indexOf(tail);
          ta.setRangeText('', at, at + tail.length, 'end');
          ta.scrollTop = 0;
        }),
        scenario('an edit that moves a line break, not the line count', (ta) => {
          const at = ta.value.indexOf('\nSSN');
          ta.setRangeText(' SSN 536-22-8706\n', at, at + '\nSSN 536-22-8706'.length, 'end');
        }, short),
        scenario('nothing', () => {}),
      ];
    });
    for (const r of result) {
      assert.equal(r.shownBefore, 0, `${r.name}: no SSN shows at first`);
      assert.equal(r.written, 0, `${r.name}: a key away from the findings writes nothing to the mirror`);
      assert.ok(r.matches, `${r.name}: rects as a fresh layout gives them`);
      if (r.name !== 'nothing') assert.ok(r.shownAfter > 0, `${r.name}: brings an SSN into the field`);
    }
  });

  test('a key on a line without findings keeps the rects measured on the other lines; an edit on a finding\'s line measures it again', async () => {
    const result = await page.evaluate(async () => {
      const { MirrorGeometry } = await import('/ext/src/content/mirror-geometry.js');
      document.body.innerHTML = '<textarea id="t" style="position:absolute;left:20px;top:10px;width:300px;height:110px;padding:6px;border:1px solid #888;font:15px/20px sans-serif;box-sizing:border-box"></textarea><div id="m"></div><div id="fresh"></div>';
      const ta = document.getElementById('t');
      ta.value = ['intro line', 'iiii SSN 536-22-8701', ...Array.from({ length: 30 }, (_, i) => 'filler ' + i), 'SSN 536-22-8799'].join('\n');
      const spans = () => [...ta.value.matchAll(/536-22-\d{4}/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
      const container = document.getElementById('m');
      const mirror = new MirrorGeometry(container);
      const freshRects = () => {
        const fresh = new MirrorGeometry(document.getElementById('fresh'));
        const rects = fresh.rects(ta, spans());
        fresh.dispose();
        return rects;
      };
      const observer = new MutationObserver(() => {});
      observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
      const step = (edit) => {
        edit();
        const rects = mirror.rects(ta, spans());
        return { rects, fresh: freshRects(), written: observer.takeRecords().length };
      };
      const first = step(() => {});
      const typed = step(() => ta.setRangeText('x', 3, 3, 'end')); // on line 0
      const line1 = ta.value.indexOf('iiii');
      // The same length on the SSN's line, wider letters before it: the SSN moves right.
      const widened = step(() => ta.setRangeText('WWWW', line1, line1 + 4, 'end'));
      // An edit on the SSN's line measured without the SSN (a caller that asks for other
      // spans), then a key elsewhere: the SSN is measured again, not taken from before.
      ta.setRangeText('iiii', line1, line1 + 4, 'end');
      mirror.rects(ta, spans().slice(1));
      const after = step(() => ta.setRangeText('y', 3, 3, 'end'));
      observer.disconnect();
      return { first, typed, widened, after };
    });
    const same = (a, b) => a.length === b.length && a.every((list, i) => list.length === b[i].length && list.every((r, j) =>
      Math.abs(r.left - b[i][j].left) <= 0.5 && Math.abs(r.top - b[i][j].top) <= 0.5 && Math.abs(r.width - b[i][j].width) <= 0.5));
    assert.ok(result.first.rects[0].length > 0, 'the SSN on line 1 shows');
    assert.equal(result.typed.written, 0, 'a key on line 0 writes nothing to the mirror');
    assert.ok(same(result.typed.rects, result.typed.fresh), 'and its rects are a fresh layout\'s');
    assert.ok(result.widened.written > 0, 'an edit on the SSN\'s line is written to the mirror');
    assert.ok(same(result.widened.rects, result.widened.fresh), 'and measured again');
    assert.ok(result.widened.rects[0][0].left > result.first.rects[0][0].left + 5, 'the SSN moved right');
    assert.ok(same(result.after.rects, result.after.fresh), 'an edit measured without the SSN on its line: the SSN is measured again');
  });

  // Issue 16, eighth round: at the end caret of a long post the edited line holds findings,
  // so each key measured it, and measured it in full. Now a key within one line writes that
  // line's block alone (no split of the whole value), searches no lines showing and
  // measures only the pieces on the edited line; an edit across lines measures in full.
  // Each step's rects are a fresh mirror's.
  test('on a long post, keys on a finding\'s line measure that line\'s pieces alone, and every step gives a fresh measure\'s rects', async () => {
    const result = await page.evaluate(async () => {
      const { MirrorGeometry } = await import('/ext/src/content/mirror-geometry.js');
      const PHI = 'Patient John Smith (SSN 536-22-8741) was admitted with pneumonia, call (617) 555-0142 with questions.';
      const CLEAN = 'Great shift on the ward today, huge thanks to the night team for covering the floor and the lobby.';
      const paragraphs = Array.from({ length: 160 }, (_, i) => (i % 4 === 1 ? PHI : CLEAN));
      paragraphs.splice(80, 0, 'Halfway through the week.');
      paragraphs.push('Last: John Smith, SSN 536-22-8741, (617) 555-0142'); // one visual line, with room
      document.body.innerHTML = '<textarea id="t" style="position:absolute;left:20px;top:10px;width:520px;height:330px;padding:10px;border:1px solid #888;font:17px/1.5 sans-serif;box-sizing:border-box"></textarea><div id="m"></div><div id="fresh"></div>';
      const ta = document.getElementById('t');
      ta.value = paragraphs.join('\n');
      const container = document.getElementById('m');
      const mirror = new MirrorGeometry(container);
      const spans = () => [...ta.value.matchAll(/John Smith|536-22-8741|\(617\) 555-0142/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
      const freshRects = () => {
        const fresh = new MirrorGeometry(document.getElementById('fresh'));
        const rects = fresh.rects(ta, spans());
        fresh.dispose();
        return rects;
      };
      // What a measure does: whole-value splits, block rects read, pieces measured, mirror writes.
      const counts = { splits: 0, blockRects: 0, pieces: 0 };
      const { split } = String.prototype;
      const { getBoundingClientRect } = Element.prototype;
      const { getClientRects } = Range.prototype;
      String.prototype.split = function (...args) {
        if (this.length > 5000) counts.splits += 1;
        return split.apply(this, args);
      };
      Element.prototype.getBoundingClientRect = function () {
        if (this.parentElement?.parentElement === container) counts.blockRects += 1;
        return getBoundingClientRect.call(this);
      };
      Range.prototype.getClientRects = function () {
        if (container.contains(this.startContainer)) counts.pieces += 1;
        return getClientRects.call(this);
      };
      const observer = new MutationObserver(() => {});
      observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
      const steps = [];
      const step = (name, edit) => {
        edit();
        ta.scrollTop = caret === 'end' ? ta.scrollHeight : ta.scrollTop;
        observer.takeRecords();
        Object.assign(counts, { splits: 0, blockRects: 0, pieces: 0 });
        const rects = mirror.rects(ta, spans());
        const records = observer.takeRecords();
        const seen = { ...counts };
        const fresh = freshRects();
        const matches = rects.length === fresh.length && rects.every((list, i) => list.length === fresh[i].length && list.every((r, j) =>
          Math.abs(r.left - fresh[i][j].left) <= 0.5 && Math.abs(r.top - fresh[i][j].top) <= 0.5 && Math.abs(r.width - fresh[i][j].width) <= 0.5));
        steps.push({
          name, caret, matches, ...seen, shown: rects.filter((l) => l.length).length,
          texts: records.filter((r) => r.type === 'characterData').length,
          nodes: records.filter((r) => r.type === 'childList').length,
        });
      };
      const type = (text) => () => ta.setRangeText(text, ta.selectionStart, ta.selectionEnd, 'end');
      const back = () => ta.setRangeText('', ta.selectionStart - 1, ta.selectionStart, 'end');
      let caret = 'end';
      try {
        ta.focus();
        ta.setSelectionRange(ta.value.length, ta.value.length);
        step('end: the first measure', () => {});
        step('end: a key', type(' '));
        step('end: another key', type('a'));
        step('end: a word', type('nd'));
        step('end: a key deleted', back);
        step('end: a line break pasted', type('\n'));
        step('end: a key on the new line', type('x'));
        step('end: the line break deleted', () => { back(); back(); });
        step('end: a key after the join', type('y'));
        caret = 'middle';
        // The caret at the end of a line with findings in the middle: the field scrolled there.
        const middle = ta.value.indexOf(PHI, ta.value.indexOf('Halfway')) + PHI.length;
        ta.setSelectionRange(middle, middle);
        ta.scrollTop = 0;
        const probe = ta.value.slice(0, middle).split('\n').length;
        ta.scrollTop = Math.max(0, probe * 50 - 60);
        step('middle: the first measure', () => {});
        step('middle: a key', type(' '));
        step('middle: a key deleted', back);
        step('middle: a line break and text pasted', type('\nPatient John Smith'));
        step('middle: a key', type('s'));
      } finally {
        String.prototype.split = split;
        Element.prototype.getBoundingClientRect = getBoundingClientRect;
        Range.prototype.getClientRects = getClientRects;
        observer.disconnect();
        mirror.dispose();
      }
      return steps;
    });
    const byName = Object.fromEntries(result.map((s) => [s.name, s]));
    for (const s of result) {
      assert.ok(s.matches, `${s.name}: rects as a fresh measure gives them`);
      if (s.name !== 'end: the first measure') assert.equal(s.splits, 0, `${s.name}: the whole value is never split after the first measure`);
    }
    assert.ok(byName['end: the first measure'].shown > 0, 'findings show at the end caret');
    for (const name of ['end: a key', 'end: another key', 'end: a word', 'end: a key deleted', 'end: a key after the join', 'middle: a key deleted']) {
      const s = byName[name];
      assert.equal(s.blockRects, 0, `${name}: no search of the lines showing`);
      assert.equal(s.texts, 1, `${name}: one line written`);
      assert.equal(s.nodes, 0, `${name}: no block added or removed`);
      assert.ok(s.pieces > 0 && s.pieces < byName['end: the first measure'].pieces, `${name}: only the edited line's pieces measured (${s.pieces})`);
    }
    assert.ok(byName['end: a line break pasted'].blockRects > 0, 'a line break measures in full');
    assert.ok(byName['middle: a line break and text pasted'].shown > 0);
  });

  test('a contenteditable composer is read again only after its DOM changed', async () => {
    const result = await page.evaluate(async () => {
      const { EditableModel } = await import('/ext/src/content/text-model.js');
      document.body.innerHTML = '<div id="e" contenteditable="true"><p>Patient <b>John</b> Smith</p><p class="x">SSN 536-22-8741</p></div>';
      const root = document.getElementById('e');
      const model = new EditableModel(root);
      const first = model.read();
      const again = model.read();
      root.querySelector('.x').classList.add('y'); // an attribute the model does not read
      const afterClass = model.read();
      root.querySelector('b').firstChild.data = 'Jon'; // read in the same task, before any observer callback
      const afterText = model.read();
      root.querySelector('.x').setAttribute('aria-hidden', 'true');
      const afterHidden = model.read();
      await new Promise((r) => setTimeout(r, 0));
      const later = model.read();
      model.dispose();
      return {
        cached: first === again && first === afterClass, texts: [first.text, afterText.text, afterHidden.text],
        stillCached: later === afterHidden,
      };
    });
    assert.equal(result.cached, true, 'the same model while nothing it reads changed');
    assert.deepEqual(result.texts, ['Patient John Smith\nSSN 536-22-8741', 'Patient Jon Smith\nSSN 536-22-8741', 'Patient Jon Smith']);
    assert.equal(result.stillCached, true);
  });

  test('contenteditable findings off screen get no rects, and ranges are reused while they still cover their findings', async () => {
    await installSsnParagraphs(page);
    const result = await page.evaluate(async () => {
      const { root, model, geometry, findings } = await window.ssnParagraphs(150);
      const clip = { top: 0, bottom: innerHeight };
      const rects = geometry.rects(model.read(), findings, clip);
      const all = geometry.rects(model.read(), findings);
      const shown = rects.map((list, i) => (list.length ? i : -1)).filter((i) => i >= 0);
      const onScreen = all.map((list, i) => (list.length && list[0].top < innerHeight && list[0].top + list[0].height > 0 ? i : -1)).filter((i) => i >= 0);
      const same = shown.every((i) => JSON.stringify(rects[i]) === JSON.stringify(all[i]));
      const ranges = geometry.ranges(model.read(), findings.slice(0, 3));
      const reused = geometry.ranges(model.read(), findings.slice(0, 3)).every((r, i) => r === ranges[i]);
      // An edit: text typed at the start of the first paragraph's text node (its Range moves
      // with it), and the second paragraph's text node replaced (its Range collapses).
      const [first, second] = root.querySelectorAll('p');
      first.firstChild.insertData(0, 'New ');
      second.firstChild.replaceWith(document.createTextNode(second.textContent));
      const edited = findings.slice(0, 3).map((f) => ({ start: f.start + 4, end: f.end + 4 }));
      const after = geometry.ranges(model.read(), edited);
      const afterText = model.read().text;
      model.dispose();
      return {
        shown, onScreen, same, reused, count: findings.length,
        kept: [after[0] === ranges[0], after[1] === ranges[1], after[2] === ranges[2]],
        texts: after.map((r) => r?.toString()),
        wanted: edited.map((f) => afterText.slice(f.start, f.end)),
      };
    });
    assert.equal(result.count, 150);
    assert.deepEqual(result.shown, result.onScreen, 'exactly the findings on screen are measured');
    assert.ok(result.shown.length > 0 && result.shown.length < 100);
    assert.equal(result.same, true);
    assert.equal(result.reused, true, 'the same Ranges for the same text');
    assert.deepEqual(result.kept, [true, false, true],
      'after an edit, the Ranges that still cover their findings are kept; the one whose text node went is new');
    assert.deepEqual(result.texts, result.wanted);
  });
});

describe('highlights near the screen (issue 16)', () => {
  test('near() keeps the Ranges of findings whose blocks reach the band, in any order of findings, and follows a scroll', async () => {
    await installSsnParagraphs(page);
    const result = await page.evaluate(async () => {
      const { root, model, geometry, text, findings } = await window.ssnParagraphs(150);
      // Findings come in no particular order; one spans two paragraphs (40 and 41).
      findings.reverse();
      const spanStart = text.indexOf('536-22-8640');
      findings.push({ start: spanStart, end: text.indexOf('Paragraph 41') + 9 });
      const ranges = geometry.ranges(model.read(), findings);
      // By brute force: a finding is near when one of its rects is in the band.
      const expected = (band) => ranges.map((r, i) => ([...r.getClientRects()].some((x) => x.bottom >= band.top && x.top <= band.bottom) ? i : -1))
        .filter((i) => i >= 0).sort((a, b) => a - b);
      const got = (band) => geometry.near(findings, ranges, band).map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
      const band = { top: 0, bottom: innerHeight };
      const top = { got: got(band), expected: expected(band) };
      // The spanning finding's second paragraph at the top of the band.
      const p41 = root.querySelectorAll('p')[41];
      scrollTo(0, scrollY + p41.getBoundingClientRect().top + 5);
      const scrolled = { got: got(band), expected: expected(band) };
      scrollTo(0, 0);
      model.dispose();
      return { top, scrolled, count: findings.length, spanning: findings.length - 1 };
    });
    assert.ok(result.top.expected.length > 0 && result.top.expected.length < 100);
    assert.deepEqual(result.top.got, result.top.expected);
    assert.deepEqual(result.scrolled.got, result.scrolled.expected);
    assert.ok(result.scrolled.got.includes(result.spanning), 'a finding whose end block is in the band is near');
    // Reversed: finding 149 is in the first paragraph, finding 0 in the last.
    assert.ok(result.top.got.includes(149) && !result.top.got.includes(0));
    assert.ok(!result.scrolled.got.includes(149), 'a finding scrolled out of the band is not near');
  });
});

describe('overlay drawing with the Custom Highlight API', () => {
  test('findings become highlights over the editor\'s own text, with no elements drawn', async () => {
    const result = await page.evaluate(async () => {
      const { Overlay } = await import('/ext/src/content/overlay.js');
      const { UiRoot } = await import('/ext/src/ui/ui-root.js');
      const { readEditable } = await import('/ext/src/content/text-model.js');
      const { rangeForOffsets } = await import('/ext/src/content/offsets.js');
      document.body.innerHTML = '<div id="e" contenteditable="true" style="font:16px sans-serif;width:400px"><p>Patient SSN 536-22-8741</p></div>';
      const element = document.getElementById('e');
      const findings = [{ rule: 'phi.ssn', category: 'ssn', effective: 'block', start: 12, end: 23 }];
      const ranges = () => findings.map((f) => rangeForOffsets(readEditable(element).segments, f.start, f.end, document));
      const session = {
        id: 'c1', element, editor: 'contenteditable', connected: true,
        visibleFindings: () => findings, displayState: () => 'block', rangesFor: ranges,
        rectsFor: () => ranges().map((r) => [...r.getClientRects()].map((x) => ({ left: x.left, top: x.top, width: x.width, height: x.height }))),
      };
      const overlay = new Overlay(new UiRoot(document), document, { useHighlights: true });
      overlay.track(session);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const highlight = CSS.highlights.get('phiguard-block');
      const rect = session.rectsFor()[0][0];
      return {
        size: highlight?.size ?? 0,
        text: highlight ? [...highlight][0].toString() : null,
        elements: document.querySelector('phiguard-ui').shadowRoot.querySelectorAll('.pg-underline').length,
        hit: overlay.hitTest(rect.left + 2, rect.top + 2)?.finding.rule ?? null,
        sheet: document.adoptedStyleSheets.some((s) => [...s.cssRules].some((r) => r.cssText.includes('phiguard-block'))),
      };
    });
    assert.deepEqual(result, { size: 1, text: '536-22-8741', elements: 0, hit: 'phi.ssn', sheet: true });
  });
});

// A fake session over a contenteditable holding `text`, whose findings the test sets, and
// which counts how often the overlay measured it.
async function overlayFixture(useHighlights) {
  await page.evaluate(async (highlights) => {
    const { Overlay } = await import('/ext/src/content/overlay.js');
    const { UiRoot } = await import('/ext/src/ui/ui-root.js');
    const { readEditable } = await import('/ext/src/content/text-model.js');
    const { rangeForOffsets } = await import('/ext/src/content/offsets.js');
    document.querySelector('phiguard-ui')?.remove();
    for (const name of ['phiguard-block', 'phiguard-warn', 'phiguard-info']) CSS.highlights.delete(name);
    document.body.innerHTML = '<div id="e" contenteditable="true" style="font:16px sans-serif;width:400px"><p>Patient SSN 536-22-8741, MRN 44820193</p></div>';
    const element = document.getElementById('e');
    const cache = new Map();
    const rangesOf = (findings) => findings.map((f) => {
      const key = `${f.start}:${f.end}`;
      if (!cache.has(key)) cache.set(key, rangeForOffsets(readEditable(element).segments, f.start, f.end, document));
      return cache.get(key);
    });
    const t = {
      findings: [{ rule: 'phi.ssn', category: 'ssn', effective: 'block', start: 12, end: 23 }],
      state: 'pending', measured: 0,
    };
    t.session = {
      id: 'c1', element, editor: 'contenteditable', connected: true,
      visibleFindings: () => t.findings, displayState: () => t.state, rangesFor: rangesOf,
      rectsFor: (findings) => {
        t.measured += 1;
        return rangesOf(findings).map((r) => [...r.getClientRects()].map((x) => ({ left: x.left, top: x.top, width: x.width, height: x.height })));
      },
    };
    t.overlay = new Overlay(new UiRoot(document), document, { useHighlights: highlights });
    t.frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    t.layer = () => document.querySelector('phiguard-ui').shadowRoot.querySelector('.pg-layer[data-composer]');
    window.overlayTest = t;
    t.overlay.track(t.session);
    await t.frame();
  }, useHighlights);
}

describe('overlay paints after a reply (issue 16)', () => {
  test('a reply with the same findings as drawn re-measures nothing and rewrites no underline', async () => {
    await overlayFixture(false);
    const result = await page.evaluate(async () => {
      const t = window.overlayTest;
      const observer = new MutationObserver(() => {});
      observer.observe(t.layer(), { subtree: true, attributes: true, childList: true });
      const measuredBefore = t.measured;
      // The reply: new finding objects, the same spans, a verdict instead of "pending".
      t.findings = t.findings.map((f) => ({ ...f, message: 'from the reply' }));
      t.state = 'block';
      t.overlay.schedule({ moved: false });
      await t.frame();
      const records = observer.takeRecords();
      const sameReply = {
        measured: t.measured - measuredBefore,
        writes: records.filter((r) => r.target !== t.layer()).length,
        state: t.layer().dataset.state,
        underlines: t.layer().children.length,
        card: t.overlay.rectOf(t.session, t.findings[0]) !== null,
      };
      // A reply with another finding is measured and drawn.
      t.findings = [...t.findings, { rule: 'phi.mrn', category: 'mrn', effective: 'block', start: 29, end: 37 }];
      t.overlay.schedule({ moved: false });
      await t.frame();
      const newFinding = { measured: t.measured - measuredBefore, underlines: t.layer().children.length };
      // Anything else (typing, scrolling) may have moved the text: measured again.
      t.overlay.schedule();
      await t.frame();
      return { sameReply, newFinding, moved: t.measured - measuredBefore };
    });
    assert.deepEqual(result.sameReply, { measured: 0, writes: 0, state: 'block', underlines: 1, card: true });
    assert.deepEqual(result.newFinding, { measured: 1, underlines: 2 });
    assert.equal(result.moved, 2);
  });

  test('a reply that changes no underline and nothing the chip says asks for no frame and writes only the layer\'s state', async () => {
    await overlayFixture(false);
    const result = await page.evaluate(async () => {
      const t = window.overlayTest;
      let frames = 0;
      const raf = window.requestAnimationFrame;
      window.requestAnimationFrame = (fn) => { frames += 1; return raf(fn); };
      const observer = new MutationObserver(() => {});
      observer.observe(document.querySelector('phiguard-ui').shadowRoot, { subtree: true, attributes: true, childList: true, characterData: true });
      try {
        // The reply: new finding objects, the same spans; the chip says the same.
        t.findings = t.findings.map((f) => ({ ...f, message: 'from the reply' }));
        t.state = 'block';
        t.overlay.replied(t.session, () => true);
        const records = observer.takeRecords();
        const quiet = {
          frames, state: t.layer().dataset.state,
          writes: records.map((r) => (r.target === t.layer() ? r.attributeName : r.type)),
          card: t.overlay.rectOf(t.session, t.findings[0]) !== null,
        };
        await t.frame();
        quiet.later = observer.takeRecords().length;
        // The chip would say something else: a paint.
        t.findings = t.findings.map((f) => ({ ...f }));
        let before = frames;
        t.overlay.replied(t.session, () => false);
        const chipChanged = frames - before;
        await t.frame();
        // Another finding: a paint, which draws it.
        t.findings = [...t.findings, { rule: 'phi.mrn', category: 'mrn', effective: 'block', start: 29, end: 37 }];
        before = frames;
        t.overlay.replied(t.session, () => true);
        const grew = frames - before;
        await t.frame();
        return { quiet, chipChanged, grew, underlines: t.layer().children.length };
      } finally {
        window.requestAnimationFrame = raf;
      }
    });
    assert.deepEqual(result, {
      quiet: { frames: 0, state: 'block', writes: ['data-state'], card: true, later: 0 },
      chipChanged: 1, grew: 1, underlines: 2,
    });
  });

  test('highlights are drawn without measuring, kept when their Ranges are, and measured for a hover', async () => {
    await overlayFixture(true);
    const result = await page.evaluate(async () => {
      const t = window.overlayTest;
      const painted = t.measured;
      const first = CSS.highlights.get('phiguard-block');
      t.findings = t.findings.map((f) => ({ ...f }));
      t.state = 'block';
      t.overlay.schedule({ moved: false });
      await t.frame();
      const kept = CSS.highlights.get('phiguard-block') === first && first.size === 1;
      const rect = [...[...first][0].getClientRects()][0];
      const hit = t.overlay.hitTest(rect.left + 2, rect.top + 2)?.finding.rule ?? null;
      const afterHover = t.measured;
      t.overlay.hitTest(rect.left + 2, rect.top + 2);
      t.findings = [...t.findings, { rule: 'phi.mrn', category: 'mrn', effective: 'block', start: 29, end: 37 }];
      t.overlay.schedule({ moved: false });
      await t.frame();
      const grown = CSS.highlights.get('phiguard-block');
      return {
        painted, kept, hit, afterHover, again: t.measured - afterHover,
        grown: grown.size, texts: [...grown].map((r) => r.toString()).sort(),
      };
    });
    assert.deepEqual(result, {
      painted: 0, kept: true, hit: 'phi.ssn', afterHover: 1, again: 0,
      grown: 2, texts: ['44820193', '536-22-8741'],
    });
  });
});

describe('overlay paints after a key (issue 16)', () => {
  test('after a key the underlines equal a fresh full draw, and those whose finding and rects were kept are not looked at', async () => {
    await overlayFixture(false);
    const result = await page.evaluate(async () => {
      const t = window.overlayTest;
      document.getElementById('e').innerHTML = '<p>Patient SSN 536-22-8741, MRN 44820193, phone 617-555-0142 and SSN 536-22-8742</p>';
      // Rects kept per span, as the textarea's mirror keeps those of lines a key did not edit.
      const kept = new Map();
      const { readEditable } = await import('/ext/src/content/text-model.js');
      const { rangeForOffsets } = await import('/ext/src/content/offsets.js');
      const element = document.getElementById('e');
      t.session.rectsFor = (findings) => findings.map((f) => {
        const key = `${f.start}:${f.end}`;
        if (!kept.has(key)) {
          const range = rangeForOffsets(readEditable(element).segments, f.start, f.end, document);
          kept.set(key, [...range.getClientRects()].map((x) => ({ left: x.left, top: x.top, width: x.width, height: x.height })));
        }
        return kept.get(key);
      });
      let ruleReads = 0;
      const finding = (rule, category, effective, start, end) => {
        const f = { category, effective, start, end };
        Object.defineProperty(f, 'rule', { enumerable: true, get() { ruleReads += 1; return rule; } });
        return f;
      };
      const ssn = finding('phi.ssn', 'ssn', 'block', 12, 23);
      const mrn = finding('phi.mrn', 'mrn', 'warn', 29, 37);
      const phone = finding('phi.phone', 'phone', 'warn', 45, 57);
      t.findings = [ssn, mrn, phone];
      t.state = 'block';
      t.overlay.schedule();
      await t.frame();
      const drawn = () => [...t.layer().children].map((el) => [el.dataset.rule, el.dataset.category, el.dataset.action,
        el.style.getPropertyValue('left'), el.style.getPropertyValue('top'), el.style.getPropertyValue('width')].join(' '));
      // A key: the MRN edited away, the phone now blocked (a new object), a second SSN found;
      // the first SSN's object and rects are kept.
      ruleReads = 0;
      const phoneBlocked = finding('phi.phone', 'phone', 'block', 45, 57);
      const ssn2 = finding('phi.ssn', 'ssn', 'block', 62, 73);
      t.findings = [ssn, phoneBlocked, ssn2];
      t.overlay.schedule();
      await t.frame();
      const afterKey = { underlines: drawn(), ruleReads };
      // A fresh full draw of the same findings.
      t.overlay.forget(t.session);
      t.overlay.track(t.session);
      await t.frame();
      return { afterKey, fresh: drawn() };
    });
    assert.equal(result.fresh.length, 3);
    assert.deepEqual(result.afterKey.underlines, result.fresh);
    assert.equal(result.afterKey.ruleReads, 4, 'only the two new findings\' underlines were looked at (twice each: key and write)');
  });
});

describe('composers found from an element (issue 16)', () => {
  test('the editing host is remembered per element, and looked up again once it left the page, stopped holding the element or was made read-only', async () => {
    const result = await page.evaluate(async () => {
      const { composerFromElement } = await import('/ext/src/content/composers.js');
      document.body.innerHTML = '<div id="a" contenteditable="true"><p id="p">Patient <b id="b">John</b></p></div><div id="c" contenteditable="true"></div>';
      const get = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'isContentEditable').get;
      let asked = 0;
      Object.defineProperty(HTMLElement.prototype, 'isContentEditable', { configurable: true, get() { asked += 1; return get.call(this); } });
      try {
        const b = document.getElementById('b');
        const hostOf = (node) => composerFromElement(node)?.element.id ?? null;
        const first = hostOf(b);
        const askedFirst = asked;
        const again = hostOf(b);
        const askedAgain = asked - askedFirst;
        document.getElementById('a').setAttribute('contenteditable', 'false');
        const readOnly = hostOf(b);
        document.getElementById('a').setAttribute('contenteditable', 'true');
        const editableAgain = hostOf(b);
        document.getElementById('c').append(document.getElementById('p'));
        const moved = hostOf(b);
        hostOf(b);
        const askedMoved = asked;
        document.getElementById('c').remove();
        hostOf(b);
        const askedGone = asked - askedMoved;
        return { first, askedFirst: askedFirst > 0, again, askedAgain, readOnly, editableAgain, moved, askedGone: askedGone > 0 };
      } finally {
        Object.defineProperty(HTMLElement.prototype, 'isContentEditable', { configurable: true, get });
      }
    });
    assert.deepEqual(result, {
      first: 'a', askedFirst: true, again: 'a', askedAgain: 0, readOnly: null, editableAgain: 'a', moved: 'c', askedGone: true,
    });
  });
});

describe('status chip while a check runs (issue 16)', () => {
  test('"Checking…" only when the check has not answered CHECKING_AFTER_MS after the last edit (a fake clock)', async () => {
    const result = await page.evaluate(async () => {
      const { ComposerChips, CHECKING_AFTER_MS } = await import('/ext/src/content/composer-chips.js');
      const { UiRoot } = await import('/ext/src/ui/ui-root.js');
      document.querySelector('phiguard-ui')?.remove();
      document.body.innerHTML = '<textarea id="t" style="position:absolute;left:10px;top:10px;width:300px;height:80px">Patient John</textarea>';
      const element = document.getElementById('t');
      const finding = { rule: 'phi.name', category: 'name', start: 8, end: 12, effective: 'warn' };
      const s = { display: 'warn' };
      const session = {
        id: 'c1', element, connected: true, text: () => element.value, displayState: () => s.display,
        visibleFindings: () => [finding],
      };
      // The chips' timers, run by hand: `elapse(ms)` runs those due within ms.
      let now = 0;
      let timers = [];
      const win = {
        document, setInterval: () => 1, clearInterval() {},
        setTimeout: (fn, ms) => { timers.push({ fn, at: now + ms }); return timers.length; },
        clearTimeout: (id) => { timers[id - 1].fn = null; },
      };
      const elapse = (ms) => {
        now += ms;
        for (const timer of timers) if (timer.fn && timer.at <= now) { const fn = timer.fn; timer.fn = null; fn(); }
      };
      let repaints = 0;
      const chips = new ComposerChips(new UiRoot(document), win, { sessions: () => [session], repaint: () => { repaints += 1; }, open() {} });
      const said = [];
      const chip = () => document.querySelector('phiguard-ui').shadowRoot.querySelector('[data-phiguard="chip"]');
      chips.paint();
      said.push(chip().dataset.state);
      const keystroke = () => { element.value += 'x'; s.display = 'pending'; chips.edited(session); chips.paint(); said.push(chip().dataset.state); };
      // A fast check: it answers 320 ms after the key, before the delay.
      keystroke();
      elapse(320);
      s.display = 'warn';
      const fast = { unchanged: chips.unchanged(session) };
      elapse(CHECKING_AFTER_MS);
      fast.repaints = repaints;
      // A slow check: nothing CHECKING_AFTER_MS after the key.
      keystroke();
      elapse(CHECKING_AFTER_MS - 1);
      const early = { repaints, unchanged: chips.unchanged(session) };
      elapse(1);
      const due = { repaints, unchanged: chips.unchanged(session) };
      chips.paint();
      said.push(chip().dataset.state);
      s.display = 'warn';
      const answered = chips.unchanged(session);
      chips.paint();
      said.push(chip().dataset.state);
      return { said, fast, early, due, answered };
    });
    assert.deepEqual(result, {
      said: ['findings', 'findings', 'findings', 'pending', 'findings'],
      fast: { unchanged: true, repaints: 0 },
      early: { repaints: 0, unchanged: true },
      due: { repaints: 1, unchanged: false },
      answered: false,
    });
  });
});

describe('status chip writes (issue 16)', () => {
  test('a paint that finds the chip saying the same in the same place writes nothing to it', async () => {
    const result = await page.evaluate(async () => {
      const { ComposerChips } = await import('/ext/src/content/composer-chips.js');
      const { UiRoot } = await import('/ext/src/ui/ui-root.js');
      document.querySelector('phiguard-ui')?.remove();
      document.body.innerHTML = '<textarea id="t" style="position:absolute;left:10px;top:10px;width:300px;height:80px">Patient John</textarea>';
      const element = document.getElementById('t');
      const s = { display: 'allow' };
      const session = { id: 'c1', element, connected: true, text: () => element.value, displayState: () => s.display, visibleFindings: () => [] };
      const win = { document, setInterval: () => 1, clearInterval() {}, setTimeout: () => 1, clearTimeout() {} };
      const chips = new ComposerChips(new UiRoot(document), win, { sessions: () => [session], repaint() {}, open() {} });
      chips.paint();
      const chip = document.querySelector('phiguard-ui').shadowRoot.querySelector('[data-phiguard="chip"]');
      const observer = new MutationObserver(() => {});
      observer.observe(chip, { subtree: true, attributes: true, childList: true, characterData: true });
      chips.paint();
      const same = observer.takeRecords().length;
      s.display = 'unavailable';
      chips.paint();
      const changed = observer.takeRecords().length;
      return { same, changed: changed > 0, state: chip.dataset.state };
    });
    assert.deepEqual(result, { same: 0, changed: true, state: 'unavailable' });
  });
});

describe('status chip measure (issue 16)', () => {
  test('a paint with the composer where it was reads no button again and places nothing; a move reads and places again', async () => {
    const result = await page.evaluate(async () => {
      const { ComposerChips } = await import('/ext/src/content/composer-chips.js');
      const { UiRoot } = await import('/ext/src/ui/ui-root.js');
      document.querySelector('phiguard-ui')?.remove();
      document.body.innerHTML = '<form id="f"><textarea id="t" style="position:absolute;left:10px;top:10px;width:300px;height:80px">Patient John</textarea>' +
        '<button id="b" type="submit" style="position:absolute;left:250px;top:100px">Post</button></form>';
      const element = document.getElementById('t');
      const button = document.getElementById('b');
      let buttonReads = 0;
      const read = button.getBoundingClientRect.bind(button);
      button.getBoundingClientRect = () => { buttonReads += 1; return read(); };
      const s = { display: 'allow' };
      const session = { id: 'c1', element, connected: true, text: () => element.value, displayState: () => s.display, visibleFindings: () => [] };
      const win = { document, innerWidth: window.innerWidth, innerHeight: window.innerHeight, setInterval: () => 1, clearInterval() {}, setTimeout: () => 1, clearTimeout() {} };
      const chips = new ComposerChips(new UiRoot(document), win, { sessions: () => [session], repaint() {}, open() {} });
      const chip = () => document.querySelector('phiguard-ui').shadowRoot.querySelector('[data-phiguard="chip"]');
      chips.paint();
      const first = { reads: buttonReads, inset: chip().style.getPropertyValue('inset') };
      chips.paint();
      chips.paint();
      const same = { reads: buttonReads - first.reads, inset: chip().style.getPropertyValue('inset') };
      element.style.top = '60px';
      button.style.top = '150px';
      chips.paint();
      const moved = { reads: buttonReads - first.reads, inset: chip().style.getPropertyValue('inset') };
      s.display = 'unavailable'; // says something else: a new size, placed again
      chips.paint();
      return { first, same, moved: { reads: moved.reads, changed: moved.inset !== first.inset }, state: chip().dataset.state, readsAfterState: buttonReads - first.reads };
    });
    assert.equal(result.first.reads, 1, 'the post button is read once');
    assert.deepEqual(result.same, { reads: 0, inset: result.first.inset });
    assert.deepEqual(result.moved, { reads: 1, changed: true });
    assert.equal(result.state, 'unavailable');
    assert.equal(result.readsAfterState, 1, 'the composer did not move: the button is not read again');
  });
});

describe('status chip poll (issue 16)', () => {
  test('the poll does not measure a composer a paint measured since its last look, and catches a move after', async () => {
    const result = await page.evaluate(async () => {
      const { ComposerChips } = await import('/ext/src/content/composer-chips.js');
      const { UiRoot } = await import('/ext/src/ui/ui-root.js');
      document.querySelector('phiguard-ui')?.remove();
      document.body.innerHTML = '<textarea id="t" style="position:absolute;left:10px;top:10px;width:300px;height:80px">Patient John</textarea>';
      const element = document.getElementById('t');
      let reads = 0;
      const read = element.getBoundingClientRect.bind(element);
      element.getBoundingClientRect = () => { reads += 1; return read(); };
      const session = {
        id: 'c1', element, connected: true, text: () => element.value, displayState: () => 'allow',
        visibleFindings: () => [],
      };
      let tick = null;
      const win = { document, setInterval: (fn) => { tick = fn; return 1; }, clearInterval() {} };
      let repaints = 0;
      const chips = new ComposerChips(new UiRoot(document), win, { sessions: () => [session], repaint: () => { repaints += 1; }, open() {} });
      chips.paint();
      const afterPaint = reads;
      tick(); // a paint measured the composer since the last look: nothing read
      const skipped = reads - afterPaint;
      element.style.top = '60px'; // moved without an event
      tick();
      return { skipped, looked: reads - afterPaint, repaints };
    });
    assert.deepEqual(result, { skipped: 0, looked: 1, repaints: 1 });
  });
});
