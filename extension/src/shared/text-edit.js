// The one edit between two texts: the span between their common prefix and their common
// suffix. The content script uses it to keep underlines on their characters until a reply
// (content/findings-shift.js) and to send the service worker only what changed
// (content/worker-channel.js, background/composer-texts.js).

// { start, oldEnd, newEnd }: oldText[start, oldEnd) became newText[start, newEnd).
export function editSpan(oldText, newText) {
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
