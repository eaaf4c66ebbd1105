#pragma once
// Rescanning a long text after an edit.
//
// The extension sends the whole composer after every pause in typing. In a long text (a
// pasted document) nearly all of it was scanned a moment ago, and a finding depends only
// on the text near it: its pattern's width, its context window, linkage's window and the
// findings that overlap it. So only the text around the edit is scanned again; findings
// further away come from the earlier scan, shifted past the edit. The answer is the full
// scan's (tests compare the two over random edits), at the cost of the edit and a margin
// instead of the whole text: a keystroke in 64 KB of staff posts costs an eighth (at the
// end) to a quarter (in the middle) of a whole scan.

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "scan/scanner.h"

namespace phiguard::scan {

// How far text can be from a finding and still change it, for one rule set (the NOTE in
// edit_rescanner.cc derives it). Scanning a piece of a text gives the whole scan's findings
// for every span at least margin() bytes from the piece's edges.
struct Reach {
  std::size_t radius = 0;  // around a finding's span; 0: some rule is unbounded
  std::size_t widest = 0;  // the longest match any rule makes

  bool bounded() const { return radius > 0; }
  // How far a finding's start may be from text that changes it: a match's width, then the
  // radius around the match.
  std::size_t margin() const { return radius + widest; }
};

Reach ReachOf(const CompiledRules& rules);

class EditRescanner {
 public:
  // Texts shorter than this are scanned whole: a full scan of them is already well under a
  // millisecond, and the margins around an edit would cover most of them.
  static constexpr std::size_t kMinTextBytes = 16 * 1024;
  // Earlier texts kept (normalised, in memory only): one per composer being typed into.
  static constexpr std::size_t kRecentTexts = 4;
  // Longer texts are scanned whole and not kept: nobody types into a megabyte, and four of
  // the protocol's 4 MiB texts would be most of the host's memory budget.
  static constexpr std::size_t kMaxKeptBytes = 1024 * 1024;

  // `scanner` must outlive this object.
  explicit EditRescanner(Scanner& scanner);

  // What scanner.Scan(text) would answer, without cues (they stay inside the scan);
  // `candidates` counts the raw matches of the part that was scanned.
  ScanOutput Scan(std::string_view text);

  // How far, in bytes, text can be from a finding's span and still change it (0: some rule
  // is unbounded, so every scan is whole).
  std::size_t radius() const { return reach_.radius; }

 private:
  struct Earlier {
    std::string text;               // normalised
    std::vector<Finding> findings;  // offsets into `text`
  };
  // How many bytes at the start and at the end two texts share.
  struct Unchanged {
    std::size_t prefix = 0;
    std::size_t suffix = 0;
  };
  // The scan of `now` around what changed since `earlier`; false when a whole scan is
  // cheaper or the window's prefilter was cut short.
  bool RescanAround(const Earlier& earlier, const std::string& now, const Unchanged& unchanged,
                    ScanOutput& output);

  Scanner& scanner_;
  Reach reach_;
  std::deque<Earlier> recent_;  // most recent first
};

}  // namespace phiguard::scan
