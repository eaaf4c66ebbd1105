// The one edit between two texts: the span between their common prefix and their common
// suffix. The content script uses it to keep underlines on their characters until a reply
// (content/findings-shift.js) and to send the service worker only what changed
// (content/worker-channel.js, background/composer-texts.js).

// The last comparison, kept: a keystroke compares the same two texts for the findings
// (findings-shift.js) and for the scan message (worker-channel.js), and each comparison
// walks a 20 KB post (2-5 % of the extension's samples, issue 16). Strings are compared by
// value, so a hit is right whoever read the texts; the text a model hands out is the same
// string each time, so the check is usually by reference.
let last = null;

// { start, oldEnd, newEnd }: oldText[start, oldEnd) became newText[start, newEnd). Frozen:
// the same object is returned for the same two texts.
export function editSpan(oldText, newText) {
  if (last && last.oldText === oldText && last.newText === newText) return last.edit;
  const edit = Object.freeze(compare(oldText, newText));
  last = { oldText, newText, edit };
  return edit;
}

function compare(oldText, newText) {
  const max = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < max && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  while (suffix < max - prefix &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) {
    suffix += 1;
  }
  return { start: prefix, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}
