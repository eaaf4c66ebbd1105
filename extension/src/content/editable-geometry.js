// Where a contenteditable composer's findings are: a DOM Range per finding, and the
// rectangles of those on screen. Ranges are kept for as long as the composer's text model
// is the same one (text-model.js EditableModel: any change of the DOM makes a new one), so
// the paint after a reply reuses those the paint after the keystroke made; and after an
// edit, a Range that followed it (a live Range moves with the text it is in) and still
// covers exactly the finding's characters is kept too, so only the findings an edit touched
// get new ones. Rectangles are measured only for findings whose blocks reach the part of the
// composer on screen: a 20 KB post is taller than the window, and the overlay would clip the
// rest away anyway.
// NOTE: with 204 findings in 20 KB of paragraphs, most of them below the window, the
// rects and ranges of one paint took 3.5 ms made afresh for every finding and 0.8 ms this
// way (p50, loaded 2-core VM; per editor in docs/performance.md). Keeping the Ranges an
// edit left in place also keeps the overlay from changing the highlights for them (overlay.js).

import { endPosition, startPosition } from './offsets.js';
import { isBlock } from './text-model.js';

export class EditableGeometry {
  #element; #model = null; #ranges = new Map(); // "start:end" -> Range or null, for #model
  #earlier = new Map(); // start node -> the Ranges made for the model before #model

  constructor(element) { this.#element = element; }

  // A Range (or null) per finding, for the text model `model` (the composer's now).
  ranges(model, findings) {
    if (model !== this.#model) {
      this.#model = model;
      this.#earlier = new Map();
      for (const range of this.#ranges.values()) {
        if (!range) continue;
        const list = this.#earlier.get(range.startContainer);
        if (list) list.push(range);
        else this.#earlier.set(range.startContainer, [range]);
      }
      this.#ranges.clear();
    }
    return findings.map(({ start, end }) => {
      const key = `${start}:${end}`;
      let range = this.#ranges.get(key);
      if (range === undefined) {
        range = this.#rangeFor(model.segments, start, end);
        this.#ranges.set(key, range);
      }
      return range;
    });
  }

  // As offsets.js rangeForOffsets, but an earlier Range with exactly these ends is reused.
  #rangeFor(segments, start, end) {
    if (!(end > start)) return null;
    const from = startPosition(segments, start);
    const to = endPosition(segments, end);
    if (!from || !to) return null;
    const same = this.#earlier.get(from.node)?.find((r) => r.startOffset === from.offset &&
      r.endContainer === to.node && r.endOffset === to.offset && !r.collapsed);
    if (same) return same;
    const range = this.#element.ownerDocument.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range.collapsed ? null : range;
  }

  // `ranges` (ranges(model, findings)'s answer) with null in place of each Range whose blocks
  // are all above or below `band` ({ top, bottom } in viewport coordinates). The findings'
  // blocks are read in the order of the text: a binary search for the first that reaches the
  // band, then one by one while they start above its bottom. A composer's blocks run down
  // the page in the order of its text, so a post of any length costs a few rect reads.
  near(findings, ranges, band) {
    const rect = this.#blockRects();
    const order = ranges.map((range, i) => i).filter((i) => ranges[i])
      .sort((a, b) => findings[a].start - findings[b].start);
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rect(ranges[order[mid]].endContainer).bottom < band.top) lo = mid + 1;
      else hi = mid;
    }
    const out = ranges.map(() => null);
    for (let k = lo; k < order.length; k += 1) {
      const range = ranges[order[k]];
      if (rect(range.startContainer).top > band.bottom) break;
      if (rect(range.endContainer).bottom >= band.top) out[order[k]] = range;
    }
    return out;
  }

  // Viewport rectangles per finding; with `clip` ({ top, bottom } of the composer on screen),
  // none for a finding whose blocks are all above or below it.
  // The findings near it are found as near() finds them: a check of every finding's blocks
  // was the largest place in the extension's samples for a keystroke in a 20 KB post drawn
  // with elements (16 %, issue 16).
  rects(model, findings, clip = null) {
    const ranges = this.ranges(model, findings);
    return (clip ? this.near(findings, ranges, clip) : ranges).map((range) => (range
      ? [...range.getClientRects()].filter((r) => r.width > 0).map(plainRect) : []));
  }

  // node -> the viewport rect of its block, each block read once (for one paint: the layout
  // does not change in between).
  #blockRects() {
    const rects = new Map();
    return (node) => {
      const block = this.#blockOf(node);
      let rect = rects.get(block);
      if (!rect) {
        rect = block.getBoundingClientRect();
        rects.set(block, rect);
      }
      return rect;
    };
  }

  // The nearest block (paragraph, list item, the composer itself) holding `node`.
  #blockOf(node) {
    let element = node.nodeType === 1 ? node : node.parentElement;
    while (element && element !== this.#element && !isBlock(element)) element = element.parentElement;
    return element ?? this.#element;
  }
}

function plainRect(r) {
  return { left: r.left, top: r.top, width: r.width, height: r.height };
}
