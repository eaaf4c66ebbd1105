// The one edit between two texts: the span between their common prefix and their common
// suffix. The content script uses it to keep underlines on their characters until a reply
// (content/findings-shift.js), to send the service worker only what changed
// (content/worker-channel.js, background/composer-texts.js) and to rewrite only the mirror
// lines an edit touched (content/mirror-geometry.js).

// The last comparisons, kept: a keystroke compares the same two texts for the findings
// (findings-shift.js), the mirror (mirror-geometry.js) and the scan message
// (worker-channel.js); the mirror may also compare the text it last held, a few keys back.
// Strings are compared by value, so a hit is right whoever read the texts; the text a model
// hands out is the same string each time, so the check is usually by reference.
const KEPT = 3;
const kept = [];

// { start, oldEnd, newEnd }: oldText[start, oldEnd) became newText[start, newEnd). Frozen:
// the same object is returned for the same two texts.
export function editSpan(oldText, newText) {
  for (const entry of kept) if (entry.oldText === oldText && entry.newText === newText) return entry.edit;
  const edit = Object.freeze(compare(oldText, newText));
  kept.unshift({ oldText, newText, edit });
  if (kept.length > KEPT) kept.pop();
  return edit;
}

// Characters compared at once, as strings, before the last block is walked character by
// character. NOTE: a loop of charCodeAt over a 20 KB post at the end caret walked all of it,
// in code V8 had not yet optimised after a few keys: 0.2-0.5 ms per keystroke (issue 16,
// docs/performance.md "eighth round"). Slices compared with === are compared by the engine.
const BLOCK = 256;

function compare(oldText, newText) {
  const max = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix + BLOCK <= max && oldText.slice(prefix, prefix + BLOCK) === newText.slice(prefix, prefix + BLOCK)) {
    prefix += BLOCK;
  }
  while (prefix < max && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix += 1;
  // The suffix stops where the prefix ended, so the two never overlap.
  const room = max - prefix;
  const oldLength = oldText.length;
  const newLength = newText.length;
  let suffix = 0;
  while (suffix + BLOCK <= room &&
    oldText.slice(oldLength - suffix - BLOCK, oldLength - suffix) === newText.slice(newLength - suffix - BLOCK, newLength - suffix)) {
    suffix += BLOCK;
  }
  while (suffix < room && oldText.charCodeAt(oldLength - 1 - suffix) === newText.charCodeAt(newLength - 1 - suffix)) suffix += 1;
  return { start: prefix, oldEnd: oldLength - suffix, newEnd: newLength - suffix };
}
