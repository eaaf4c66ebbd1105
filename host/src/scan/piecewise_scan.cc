#include "scan/piecewise_scan.h"

#include <algorithm>
#include <iterator>

#include "scan/edit_rescanner.h"
#include "util/normalized_text.h"

namespace phiguard::scan {
namespace {

bool InsideCodePoint(std::string_view text, std::size_t at) {
  return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
}

std::size_t BoundaryBefore(std::string_view text, std::size_t at) {
  while (at > 0 && InsideCodePoint(text, at)) --at;
  return at;
}

std::size_t BoundaryAfter(std::string_view text, std::size_t at) {
  while (InsideCodePoint(text, at)) ++at;
  return std::min(at, text.size());
}

// Room for moving a window's edges to code-point boundaries (at most 3 bytes each).
constexpr std::size_t kBoundarySlack = 8;

// The findings (offsets into `text`) of the core [core_start, core_end): those the window
// around it finds starting inside it.
void ScanCore(Scanner& scanner, std::string_view text, std::size_t core_start, std::size_t core_end,
              std::size_t margin, ScanOutput& output) {
  const std::size_t window_start =
      BoundaryBefore(text, core_start > margin ? core_start - margin : 0);
  const std::size_t window_end = BoundaryAfter(text, std::min(text.size(), core_end + margin));
  ScanOutput piece = scanner.ScanNormalized(text.substr(window_start, window_end - window_start));
  output.candidates += piece.candidates;
  output.capped = output.capped || piece.capped;
  for (auto& finding : piece.findings) {
    finding.start += window_start;
    finding.end += window_start;
    if (finding.start >= core_start && finding.start < core_end)
      output.findings.push_back(std::move(finding));
  }
}

}  // namespace

ScanOutput ScanInPieces(Scanner& scanner, std::string_view text, std::size_t piece_bytes,
                        std::size_t* pieces) {
  const Reach reach = ReachOf(scanner.rules());
  const util::NormalizedText normalized(text);
  const std::string_view all = normalized.text();
  ScanOutput output;
  std::size_t scans = 1;
  const std::size_t edges = 2 * reach.margin() + kBoundarySlack;
  // A core at least as long as its margins, or pieces would cost more than a whole scan.
  if (!reach.bounded() || all.size() <= piece_bytes || piece_bytes < 2 * edges) {
    output = scanner.ScanNormalized(all);
    output.cues.clear();
  } else {
    const std::size_t core = piece_bytes - edges;
    scans = 0;
    for (std::size_t start = 0; start < all.size(); ++scans) {
      const std::size_t end = BoundaryAfter(all, std::min(all.size(), start + core));
      ScanCore(scanner, all, start, end, reach.margin(), output);
      start = end;
    }
  }
  if (pieces) *pieces = scans;
  for (auto& finding : output.findings) {
    finding.original = normalized.ToOriginal(finding.start, finding.end);
  }
  return output;
}

}  // namespace phiguard::scan
