// Where characters of a textarea or input are on screen. Their text has no DOM nodes to put
// a Range on, so a hidden mirror element with the same box and font lays the value out the
// same way, and a Range inside the mirror gives the rectangles (the technique of
// component/textarea-caret-position). The mirror lives in our shadow root, never in the page.
//
// It re-measures only what changed (issue 16). The mirror holds one block per line of the
// value (a "\n" ends a paragraph in a textarea as a block does), so an edit rewrites the
// text of the blocks it touched and the browser lays out only those again; the field's
// style is written again only when it changed; and only findings on lines that show
// through the field are measured (the overlay clips the others away anyway); and a key that
// leaves every line where it was keeps the rects of the lines it did not edit, so a key away
// from the findings on screen writes nothing to the mirror and lays it out not at all
// (#keptRects). NOTE: on a
// 20 KB textarea of 200 lines with 100 findings, the paint after a keystroke took 13-20 ms
// at p50 with one text node copied whole, and 0.3 ms this way (loaded 2-core VM; per editor
// in docs/performance.md, tests/extension/bench/keystroke.mjs).

import { editSpan } from '../shared/text-edit.js';

const COPIED = [
  'box-sizing', 'width', 'height', 'padding-top', 'padding-right', 'padding-bottom',
  'padding-left', 'border-top-width', 'border-right-width', 'border-bottom-width',
  'border-left-width', 'border-style', 'font-family', 'font-size', 'font-style', 'font-variant',
  'font-weight', 'font-stretch', 'font-feature-settings', 'font-kerning', 'line-height',
  'letter-spacing', 'word-spacing', 'text-transform', 'text-indent', 'text-align', 'tab-size',
  'direction', 'overflow-wrap', 'word-break', 'hyphens',
];

// An empty line still takes a line's height; a zero-width space holds it open (the value's
// offsets never reach into an empty line, so the character is never measured).
const EMPTY_LINE = '\u200b';

export class MirrorGeometry {
  #doc; #mirror;
  #blocks = []; // one <div> per line of the value, each with one text node
  #lines = []; // the lines they hold
  #starts = []; // offset in the value where each line starts
  #value = null; // the value the blocks hold
  #styleKey = null; // the copied style the mirror has
  // The lines last found showing through the field, what they were found for, and the rects
  // measured on them: { key (layoutKey), value, starts (of its lines), first, last, pieces:
  // line -> `${start}|${end}` within the line -> rects }. See #keptRects.
  #shown = null;
  #style = null; // { field, style: its live computed style }

  constructor(container) {
    this.#doc = container.ownerDocument;
    this.#mirror = this.#doc.createElement('div');
    this.#mirror.className = 'pg-mirror';
    this.#mirror.setAttribute('aria-hidden', 'true');
    container.append(this.#mirror);
  }

  dispose() { this.#mirror.remove(); }

  // Viewport rectangles of value[start, end) for each span in `field` (a textarea or input);
  // none for a span whose lines are off screen.
  rects(field, spans) {
    const box = field.getBoundingClientRect();
    const view = this.#doc.defaultView;
    const shown = { top: Math.max(box.top, 0), bottom: Math.min(box.bottom, view.innerHeight) };
    if (!spans.length || shown.bottom <= shown.top || box.right <= 0 || box.left >= view.innerWidth) {
      return spans.map(() => []);
    }
    const value = field.value;
    const single = field.nodeName === 'INPUT';
    // The field's computed style, kept (a new one for each read was most of their cost), read
    // once for the lines' key and the mirror's copy.
    if (this.#style?.field !== field) this.#style = { field, style: view.getComputedStyle(field) };
    const { style } = this.#style;
    const values = COPIED.map((name) => style.getPropertyValue(name));
    const key = single ? null : layoutKey(field, box, view, values);
    const kept = key === null ? null : this.#keptRects(key, value, spans, field, box);
    if (kept) return kept;
    this.#copyStyle(field, box, style, values);
    this.#setValue(value, single);
    const { dx, dy } = this.#offset(field, box);
    // The part of the mirror that shows through the field, where the mirror lies.
    const top = shown.top - dy;
    const bottom = shown.bottom - dy;
    const shows = this.#linesShowing(top, bottom);
    const pieces = new Map(); // line -> `${start}|${end}` in the line -> its rects
    this.#shown = key === null ? null : { key, value, starts: this.#starts, first: shows.first, last: shows.last, pieces };
    const range = this.#doc.createRange();
    return spans.map(({ start, end }) => {
      const out = [];
      for (let i = Math.max(this.#lineAt(start), shows.first); i <= shows.last && this.#starts[i] < end; i += 1) {
        const s = Math.max(start - this.#starts[i], 0);
        const e = Math.min(end - this.#starts[i], this.#lines[i].length);
        if (!(e > s)) continue;
        const rects = this.#measure(range, i, s, e, dx, dy);
        if (!pieces.has(i)) pieces.set(i, new Map());
        pieces.get(i).set(`${s}|${e}`, rects);
        out.push(...rects);
      }
      return out;
    });
  }

  // The rects of `spans` (offsets into `value`) without laying the whole mirror out again,
  // or null when that cannot be known. It can when the field's box, scroll, scroll height
  // and font (`key`) are what they were at the last full measure, and the text changed since
  // within one line and kept its line count: the lines are blocks stacked in order, and a
  // block's height depends only on its text and the field's width and font, so with every
  // other line's text the same and the scroll height the same, the edited line kept its
  // height and every line is where it was. The same lines show, and a piece of a span on a
  // line that was not edited has the rects measured for the same piece of that line then.
  // A piece on the edited line, or one not measured then, is measured in the mirror, with
  // only the edited line's block written (#setValue) and no style copy, no search of the
  // lines showing and no other piece measured. The lines found are then carried over to
  // `value`. So a key away from the findings on screen costs no mirror write and no mirror
  // layout, and a key on a finding's line measures that line's pieces alone.
  // NOTE: at the middle caret of a 20 KB textarea post the mirror's measure was most of the
  // extension's work per keystroke above the floor (seventh round), and at the end caret,
  // where the edited line holds findings, it was measured in full at every key: the style
  // written, the 20 KB value split and compared line by line, ~16 block rects read for the
  // lines showing, every piece on screen measured (eighth round; docs/performance.md,
  // issue 16).
  #keptRects(key, value, spans, field, box) {
    const shown = this.#shown;
    if (!shown || shown.key !== key) return null;
    let { starts } = shown;
    let edited = -1;
    if (value !== shown.value) {
      const edit = editSpan(shown.value, value);
      if (shown.value.slice(edit.start, edit.oldEnd).includes('\n') || value.slice(edit.start, edit.newEnd).includes('\n')) {
        return null;
      }
      edited = lineAt(starts, edit.start);
      const delta = edit.newEnd - edit.oldEnd;
      if (delta) starts = starts.map((at, i) => (i > edited ? at + delta : at));
    }
    const { pieces } = shown;
    pieces.delete(edited);
    const lineEnd = (i) => (i + 1 < starts.length ? starts[i + 1] - 1 : value.length);
    let mirror = null; // { range, dx, dy } once the mirror holds `value`
    const out = [];
    for (const { start, end } of spans) {
      const rects = [];
      for (let i = Math.max(lineAt(starts, start), shown.first); i <= shown.last && starts[i] < end; i += 1) {
        const s = Math.max(start - starts[i], 0);
        const e = Math.min(end, lineEnd(i)) - starts[i];
        if (!(e > s)) continue;
        let piece = pieces.get(i)?.get(`${s}|${e}`);
        if (!piece) {
          if (!mirror) {
            this.#setValue(value, false);
            mirror = { range: this.#doc.createRange(), ...this.#offset(field, box) };
          }
          piece = this.#measure(mirror.range, i, s, e, mirror.dx, mirror.dy);
          if (!pieces.has(i)) pieces.set(i, new Map());
          pieces.get(i).set(`${s}|${e}`, piece);
        }
        rects.push(...piece);
      }
      out.push(rects);
    }
    this.#shown = { ...shown, value, starts };
    return out;
  }

  // How far the mirror's layout is from the field's, in viewport pixels (its box, less the
  // field's scroll). Reading the mirror's box lays it out.
  #offset(field, box) {
    const origin = this.#mirror.getBoundingClientRect();
    return { dx: box.left - origin.left - field.scrollLeft, dy: box.top - origin.top - field.scrollTop };
  }

  // The rects of line i's characters [s, e), moved from the mirror to the field.
  #measure(range, i, s, e, dx, dy) {
    range.setStart(this.#blocks[i].firstChild, s);
    range.setEnd(this.#blocks[i].firstChild, e);
    const rects = [];
    for (const r of range.getClientRects()) {
      if (r.width > 0) rects.push({ left: r.left + dx, top: r.top + dy, width: r.width, height: r.height });
    }
    return rects;
  }

  // The field's box and font, written to the mirror only when they changed.
  #copyStyle(field, box, style, values) {
    const single = field.nodeName === 'INPUT';
    // A textarea's scrollbar narrows its text; the mirror's width must follow.
    const width = field.clientWidth + parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    // Inputs centre one line vertically; a line box as tall as the content box does too.
    const lineHeight = single
      ? Math.max(field.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom), 0) : null;
    const key = `${values.join('|')}|${width}|${lineHeight}|${single}`;
    const m = this.#mirror.style;
    m.setProperty('left', `${box.left}px`);
    m.setProperty('top', `${box.top}px`);
    if (key === this.#styleKey) return;
    this.#styleKey = key;
    COPIED.forEach((name, i) => m.setProperty(name, values[i]));
    m.setProperty('border-color', 'transparent');
    m.setProperty('white-space', single ? 'pre' : 'pre-wrap');
    if (lineHeight !== null) m.setProperty('line-height', `${lineHeight}px`);
    m.setProperty('width', `${width}px`);
    m.setProperty('box-sizing', 'border-box');
    // text-indent indents the field's first line only, not each line's block.
    this.#mirror.dataset.eachLine = String(values[COPIED.indexOf('text-indent')].includes('each-line'));
  }

  // Rewrites the blocks of the lines the edit since the last value touched, and no others.
  // The edit (text-edit.js, the comparison the key's findings made already) says which
  // lines: only those are split from the value and written, and the lines' starts after
  // them move by its length. NOTE: splitting the whole 20 KB value and comparing its ~200
  // lines with the last ones, at each key that measured, was 5 % of the extension's samples
  // at the end caret (issue 16).
  #setValue(value, single) {
    if (value === this.#value) return;
    const old = this.#value;
    this.#value = value;
    let first = 0; // lines [first, last] of the old value become `lines`
    let last = this.#lines.length - 1;
    let lines;
    if (single) lines = [value];
    else if (old === null) lines = value.split('\n');
    else {
      const edit = editSpan(old, value);
      first = lineAt(this.#starts, edit.start);
      last = lineAt(this.#starts, edit.oldEnd);
      // The text after the edit is the same, so the end of the edit's last line moved by
      // the edit's length.
      const oldLineEnd = last + 1 < this.#lines.length ? this.#starts[last + 1] - 1 : old.length;
      lines = value.slice(this.#starts[first], oldLineEnd + edit.newEnd - edit.oldEnd).split('\n');
    }
    const removed = last - first + 1;
    // The changed lines reuse the old blocks in their place; the rest are added or removed.
    const reused = Math.min(removed, lines.length);
    for (let k = 0; k < reused; k += 1) {
      const text = this.#blocks[first + k].firstChild;
      const data = lines[k] || EMPTY_LINE;
      if (text.data !== data) text.data = data;
    }
    if (lines.length > removed) {
      const next = this.#blocks[last + 1] ?? null;
      const added = lines.slice(reused).map((line) => this.#block(line));
      for (const block of added) this.#mirror.insertBefore(block, next);
      this.#blocks.splice(last + 1, 0, ...added);
    } else if (removed > lines.length) {
      for (const block of this.#blocks.splice(first + reused, removed - reused)) block.remove();
    }
    // New arrays: #shown keeps the starts it was measured with.
    const oldLines = this.#lines;
    const oldStarts = this.#starts;
    const count = oldLines.length - removed + lines.length;
    this.#lines = new Array(count);
    this.#starts = new Array(count);
    for (let i = 0; i < first; i += 1) {
      this.#lines[i] = oldLines[i];
      this.#starts[i] = oldStarts[i];
    }
    let at = first < oldStarts.length ? oldStarts[first] : 0;
    for (let k = 0; k < lines.length; k += 1) {
      this.#lines[first + k] = lines[k];
      this.#starts[first + k] = at;
      at += lines[k].length + 1;
    }
    const delta = last + 1 < oldStarts.length ? at - oldStarts[last + 1] : 0;
    for (let i = last + 1; i < oldLines.length; i += 1) {
      this.#lines[i - removed + lines.length] = oldLines[i];
      this.#starts[i - removed + lines.length] = oldStarts[i] + delta;
    }
  }

  #block(line) {
    const block = this.#doc.createElement('div');
    block.append(this.#doc.createTextNode(line || EMPTY_LINE));
    return block;
  }

  // The index of the line that holds `offset`.
  #lineAt(offset) { return lineAt(this.#starts, offset); }

  // The first and last lines whose blocks reach into [top, bottom], the part of the mirror
  // that shows through the field (in the mirror's own viewport coordinates): blocks are
  // stacked in order, so two binary searches find them. last < first when none does.
  #linesShowing(top, bottom) {
    const rect = (i) => this.#blocks[i].getBoundingClientRect();
    const n = this.#blocks.length;
    let lo = 0;
    let hi = n;
    while (lo < hi) { // the first block whose bottom is below `top`
      const mid = (lo + hi) >> 1;
      if (rect(mid).bottom > top - 1) hi = mid;
      else lo = mid + 1;
    }
    const first = lo;
    hi = n;
    while (lo < hi) { // the first block whose top is below `bottom`
      const mid = (lo + hi) >> 1;
      if (rect(mid).top < bottom + 1) lo = mid + 1;
      else hi = mid;
    }
    return { first, last: lo - 1 };
  }
}

// The index of the line that holds `offset`, given where each line starts.
function lineAt(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// What decides which lines of a textarea show through it, read from the field itself (the
// page lays it out in any case): its box, its scroll and scroll height, the window's size,
// and its copied style (`values`, COPIED's). A string, to compare; null while the
// text does not fill the field (the scroll height is then the field's, and says nothing of
// the lines' heights).
function layoutKey(field, box, view, values) {
  if (field.scrollHeight <= field.clientHeight) return null;
  return [
    box.left, box.top, box.width, box.height, field.clientWidth, field.clientHeight, field.scrollTop,
    field.scrollLeft, field.scrollHeight, view.innerWidth, view.innerHeight, ...values,
  ].join('|');
}
