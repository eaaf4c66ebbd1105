// Where characters of a textarea or input are on screen. Their text has no DOM nodes to put
// a Range on, so a hidden mirror element with the same box and font lays the value out the
// same way, and a Range inside the mirror gives the rectangles (the technique of
// component/textarea-caret-position). The mirror lives in our shadow root, never in the page.

const COPIED = [
  'box-sizing', 'width', 'height', 'padding-top', 'padding-right', 'padding-bottom',
  'padding-left', 'border-top-width', 'border-right-width', 'border-bottom-width',
  'border-left-width', 'border-style', 'font-family', 'font-size', 'font-style', 'font-variant',
  'font-weight', 'font-stretch', 'font-feature-settings', 'font-kerning', 'line-height',
  'letter-spacing', 'word-spacing', 'text-transform', 'text-indent', 'text-align', 'tab-size',
  'direction', 'overflow-wrap', 'word-break', 'hyphens',
];

export class MirrorGeometry {
  #mirror; #text;

  constructor(container) {
    this.#mirror = container.ownerDocument.createElement('div');
    this.#mirror.className = 'pg-mirror';
    this.#mirror.setAttribute('aria-hidden', 'true');
    this.#text = container.ownerDocument.createTextNode('');
    this.#mirror.append(this.#text);
    container.append(this.#mirror);
  }

  dispose() { this.#mirror.remove(); }

  // Viewport rectangles of value[start, end) in `field` (a textarea or input).
  rects(field, spans) {
    const view = field.ownerDocument.defaultView;
    const style = view.getComputedStyle(field);
    const box = field.getBoundingClientRect();
    const m = this.#mirror.style;
    for (const name of COPIED) m.setProperty(name, style.getPropertyValue(name));
    m.setProperty('border-color', 'transparent');
    m.setProperty('left', `${box.left}px`);
    m.setProperty('top', `${box.top}px`);
    const single = field.nodeName === 'INPUT';
    m.setProperty('white-space', single ? 'pre' : 'pre-wrap');
    if (single) {
      // Inputs centre one line vertically; a line box as tall as the content box does too.
      const inner = field.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      m.setProperty('line-height', `${Math.max(inner, 0)}px`);
    }
    // A textarea's scrollbar narrows its text; the mirror's width must follow.
    m.setProperty('width', `${field.clientWidth + parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth)}px`);
    m.setProperty('box-sizing', 'border-box');
    const value = field.value;
    this.#text.data = value.endsWith('\n') ? `${value}\u200b` : value;
    const origin = this.#mirror.getBoundingClientRect();
    const dx = box.left - origin.left - field.scrollLeft;
    const dy = box.top - origin.top - field.scrollTop;
    const range = field.ownerDocument.createRange();
    return spans.map(({ start, end }) => {
      const s = Math.min(start, value.length);
      const e = Math.min(end, value.length);
      if (!(e > s)) return [];
      range.setStart(this.#text, s);
      range.setEnd(this.#text, e);
      return [...range.getClientRects()]
        .filter((r) => r.width > 0)
        .map((r) => ({ left: r.left + dx, top: r.top + dy, width: r.width, height: r.height }));
    });
  }
}
