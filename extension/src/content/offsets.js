// UTF-16 offsets from the host -> DOM positions and Ranges, through text-model.js's segment
// map. A start that falls on an inserted "\n" moves to the next text; an end that does moves
// back to the previous one, so a Range never starts or ends in the gap between two blocks.

function firstIndexEndingAfter(segments, offset) {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// { node, offset } where a finding starting at `offset` begins, or null.
export function startPosition(segments, offset) {
  for (let i = firstIndexEndingAfter(segments, offset); i < segments.length; i += 1) {
    const segment = segments[i];
    if (segment.node) return { node: segment.node, offset: Math.max(0, offset - segment.start) };
  }
  return null;
}

// { node, offset } where a finding ending at `offset` (exclusive) ends, or null.
export function endPosition(segments, offset) {
  let i = firstIndexEndingAfter(segments, offset);
  if (i >= segments.length || segments[i].start >= offset) i -= 1;
  for (; i >= 0; i -= 1) {
    const segment = segments[i];
    if (segment.node) {
      return { node: segment.node, offset: Math.min(offset, segment.end) - segment.start };
    }
  }
  return null;
}

// A DOM Range over [start, end) or null when the offsets do not map (an empty span, or text
// that changed since the scan).
export function rangeForOffsets(segments, start, end, doc) {
  if (!(end > start)) return null;
  const from = startPosition(segments, start);
  const to = endPosition(segments, end);
  if (!from || !to) return null;
  const range = doc.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  return range.collapsed ? null : range;
}
