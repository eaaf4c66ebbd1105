#pragma once
// Scanning a text longer than one scan should take, in overlapping pieces.
//
// The host refuses texts over protocol::kMaxTextBytes; `phiguard scan` reads files of any
// size. A finding depends only on text within the rule set's reach of it (Reach, the same
// bound the edit rescanner relies on), so the normalised text is cut into cores of at most
// `piece_bytes` less twice the margin, each scanned with the margin either side, and each
// core keeps the findings that start in it. The answer is the whole scan's (a unit test
// compares the two on text just over the limit).

#include <cstddef>
#include <string_view>

#include "scan/scanner.h"

namespace phiguard::scan {

// What scanner.Scan(text) answers, without cues, scanning at most about `piece_bytes` of
// normalised text at a time. Texts that fit, and rule sets with an unbounded rule (no
// finding is local then), are scanned whole. `pieces`, when given, receives how many scans
// it took (1: whole).
ScanOutput ScanInPieces(Scanner& scanner, std::string_view text, std::size_t piece_bytes,
                        std::size_t* pieces = nullptr);

}  // namespace phiguard::scan
