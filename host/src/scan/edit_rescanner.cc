#include "scan/edit_rescanner.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <iterator>

#include "scan/linkage.h"
#include "scan/voice_score.h"
#include "util/normalized_text.h"

namespace phiguard::scan {
namespace {

// The word before or after a candidate (context "drop" words) is found by walking to the
// next space; words are far shorter than this.
constexpr std::size_t kNeighbourWordBytes = 64;

// NOTE: how far text can change a finding, for a rule set whose longest match is `widest`
// bytes and widest context window `context` bytes:
//   own    = 2 * widest + context + neighbour word: the raw match (a confirm may start a
//            match's width before the end Hyperscan reported, and that end's match a width
//            before it), its context window and the words beside it;
//   link   = kLinkWindowBytes + widest + own: evidence up to the link window away, as long
//            as the widest match, with its own reach; a post-wide cue or a patient cue that
//            cancels one reaches kPostWideBytes, and a staff-named colleague's name spreads as
//            far, its own staff cue kStaffWindowBytes beyond it;
//   overlap= 2 * widest: the findings it overlaps and the ones those overlap.
// Where a rescan could differ from a whole scan: a chain of overlapping findings of one
// kind longer than that, each flipping the next's outcome; or a "word" next to a finding
// longer than the margin (kilobytes without a space), cut where the window starts. The
// randomised tests meet neither; real text hardly can.
std::size_t DependencyRadius(std::size_t widest, std::size_t context) {
  const std::size_t own = 2 * widest + context + kNeighbourWordBytes;
  const std::size_t link = std::max(kLinkWindowBytes, kPostWideBytes + kStaffWindowBytes + widest);
  return link + widest + own + 2 * widest;
}

// Blocks first (memcmp is vectorised), then bytes: a 64 KB text is compared with each
// kept one on every scan.
constexpr std::size_t kCompareBlock = 64;

std::size_t CommonPrefix(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i + kCompareBlock <= n && std::memcmp(a.data() + i, b.data() + i, kCompareBlock) == 0) {
    i += kCompareBlock;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// The common suffix, not reaching into the first `prefix` bytes of either text.
std::size_t CommonSuffix(std::string_view a, std::string_view b, std::size_t prefix) {
  const std::size_t n = std::min(a.size(), b.size()) - prefix;
  std::size_t i = 0;
  while (i + kCompareBlock <= n &&
         std::memcmp(a.data() + a.size() - i - kCompareBlock,
                     b.data() + b.size() - i - kCompareBlock, kCompareBlock) == 0) {
    i += kCompareBlock;
  }
  while (i < n && a[a.size() - 1 - i] == b[b.size() - 1 - i]) ++i;
  return i;
}

}  // namespace

Reach ReachOf(const CompiledRules& rules) {
  std::size_t widest = 0;
  std::size_t context = 0;
  for (const auto& compiled : rules.rules()) {
    if (compiled.max_width == UINT_MAX) return {};  // unbounded: nothing is local
    widest = std::max<std::size_t>(widest, compiled.max_width);
    context = std::max<std::size_t>(context, compiled.rule->context.window);
  }
  std::size_t radius = DependencyRadius(widest, context);
  // A story the model raises (scan/patient_voice.h) reads the words within a voice window of
  // its anchor and is kept only with no identifier within as far, and those identifiers
  // depend on text up to the radius beyond them.
  const auto* voice = rules.voice_model();
  if (voice != nullptr && voice->raise_threshold > 0.0F) radius += kVoiceWindowBytes;
  return {.radius = radius, .widest = widest};
}

EditRescanner::EditRescanner(Scanner& scanner)
    : scanner_(scanner), reach_(ReachOf(scanner.rules())) {}

ScanOutput EditRescanner::Scan(std::string_view text) {
  const util::NormalizedText normalized(text);
  const std::string& now = normalized.text();
  ScanOutput output;
  bool rescanned = false;
  // The earlier text that shares the most with this one (its unchanged start and end).
  auto base = recent_.end();
  Unchanged best;
  const bool worth_keeping = now.size() >= kMinTextBytes && now.size() <= kMaxKeptBytes;
  if (reach_.bounded() && worth_keeping) {
    for (auto it = recent_.begin(); it != recent_.end(); ++it) {
      Unchanged unchanged;
      unchanged.prefix = CommonPrefix(it->text, now);
      unchanged.suffix = CommonSuffix(it->text, now, unchanged.prefix);
      if (unchanged.prefix + unchanged.suffix > best.prefix + best.suffix) {
        best = unchanged;
        base = it;
      }
    }
    if (base != recent_.end()) rescanned = RescanAround(*base, now, best, output);
  }
  if (!rescanned) {
    output = scanner_.ScanNormalized(now);
    output.cues.clear();
  }
  for (auto& finding : output.findings) {
    finding.original = normalized.ToOriginal(finding.start, finding.end);
  }
  if (reach_.bounded() && worth_keeping && !output.capped) {
    // Typing into one composer replaces its earlier text; a text unlike any kept one (another
    // composer) is kept beside them.
    if (base != recent_.end() && 2 * (best.prefix + best.suffix) >= now.size()) {
      recent_.erase(base);
    }
    recent_.push_front({now, output.findings});
    if (recent_.size() > kRecentTexts) recent_.pop_back();
  }
  return output;
}

bool EditRescanner::RescanAround(const Earlier& earlier, const std::string& now,
                                 const Unchanged& unchanged, ScanOutput& output) {
  const std::string& before = earlier.text;
  const std::size_t prefix = unchanged.prefix;
  const std::size_t suffix = unchanged.suffix;
  if (prefix == before.size() && prefix == now.size()) {  // sent again unchanged
    output.findings = earlier.findings;
    return true;
  }
  // What changed: [prefix, end_now) of the text now, [prefix, end_before) before. Findings
  // within the radius of it may change: the zone. Findings outside it are the earlier ones.
  const std::size_t end_now = now.size() - suffix;
  const std::size_t end_before = before.size() - suffix;
  const std::size_t radius = reach_.radius;
  const std::size_t zone_start = prefix > radius ? prefix - radius : 0;
  const std::size_t zone_end_now = std::min(now.size(), end_now + radius);
  const std::size_t zone_end_before = std::min(before.size(), end_before + radius);
  // A finding in the zone may start a match's width before it and depends on the radius
  // around its span: that much text either side of the zone is scanned.
  const std::size_t margin = reach_.margin();
  const std::size_t window_start = zone_start > margin ? zone_start - margin : 0;
  const std::size_t window_end = std::min(now.size(), zone_end_now + margin);
  if (2 * (window_end - window_start) > now.size()) return false;  // a whole scan is as cheap
  // Linkage reads a short post as one thought; a window is never one (the radius alone is
  // longer), but the rule is the text's, not the window's.
  if (window_end - window_start <= kShortPostBytes) return false;

  ScanOutput window = scanner_.ScanNormalized(
      std::string_view(now).substr(window_start, window_end - window_start));
  if (window.capped) return false;
  std::vector<Finding> zone;
  for (auto& finding : window.findings) {
    finding.start += window_start;
    finding.end += window_start;
    if (finding.end > zone_start && finding.start < zone_end_now)
      zone.push_back(std::move(finding));
  }
  // Earlier findings wholly before the zone, then the zone's (which may start before the
  // zone, among them), then the earlier ones after it, moved by the change in length.
  std::vector<Finding> ahead;
  std::vector<Finding> behind;
  for (const auto& finding : earlier.findings) {
    if (finding.end <= zone_start) {
      ahead.push_back(finding);
    } else if (finding.start >= zone_end_before) {
      behind.push_back(finding);
      behind.back().start = finding.start - end_before + end_now;
      behind.back().end = finding.end - end_before + end_now;
    }
  }
  output.findings.clear();
  output.findings.reserve(ahead.size() + zone.size() + behind.size());
  std::merge(std::make_move_iterator(ahead.begin()), std::make_move_iterator(ahead.end()),
             std::make_move_iterator(zone.begin()), std::make_move_iterator(zone.end()),
             std::back_inserter(output.findings), ReportedBefore);
  output.findings.insert(output.findings.end(), std::make_move_iterator(behind.begin()),
                         std::make_move_iterator(behind.end()));
  output.candidates = window.candidates;
  output.capped = false;
  return true;
}

}  // namespace phiguard::scan
