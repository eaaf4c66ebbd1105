#pragma once
// Text as the scanner sees it, with a map back to the text the user typed.
//
// Patterns are written for plain ASCII digits, dashes and spaces. People (and their
// keyboards and editors) type fullwidth or Arabic-Indic digits, Unicode dashes, no-break
// spaces, and paste numbers with zero-width characters, soft hyphens, bidi marks, tabs or
// line breaks inside. Folding these before the scan lets one pattern catch every form; the
// offset map then points every finding back at the original text, in UTF-8 bytes and in
// UTF-16 code units.
//
// Besides the fold of each code point (FoldCodePoint), two folds look at the neighbours:
//   - tabs and one line break inside a digit group: dropped next to a group separator
//     ("524-71-\n3308" -> "524-71-3308"), one space between digits ("524 71\n3308") or
//     after a label's ':' or '#' ("MRN:\r\n00739154" -> "MRN: 00739154"). Two line breaks
//     are a paragraph and stay.
//   - a '/' between the groups of a ten-digit phone number reads as '-' ("412/555/0187");
//     dates never have three digits before a slash, and a slash inside a path stays.
//   - a line typed in capitals ("UPDATE: MRS. DELACOURT IN 14 FINALLY POOPED") reads in
//     the case names are written in: words of four letters or more keep only their first
//     capital, and the titles Mr, Mrs, Ms, Dr read as such. Name patterns rely on case
//     (a capital starts a name), so a shouted line would otherwise hide every name in it;
//     short words (ICU, EMS, RN, DOB) stay as typed, since acronyms carry their meaning
//     in capitals.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace phiguard::util {

// Where a span of the original text sits, in both units the callers need.
struct OriginalSpan {
  std::uint32_t byte_start = 0;
  std::uint32_t byte_end = 0;
  std::uint32_t utf16_start = 0;  // JavaScript string index
  std::uint32_t utf16_end = 0;
};

class NormalizedText {
 public:
  // `original` must be valid UTF-8 (the protocol layer checks); invalid bytes are kept as-is.
  explicit NormalizedText(std::string_view original);

  // The folded text the scanner runs on (UTF-8).
  const std::string& text() const { return text_; }

  // Maps the half-open span [start, end) of text() back to the original. A span that
  // starts or ends inside a multi-byte sequence widens to whole code points, so the result
  // never splits a surrogate pair.
  OriginalSpan ToOriginal(std::size_t start, std::size_t end) const;

 private:
  // The folds that look at neighbours (see the top of this file).
  void FoldBreaksInNumbers(const std::vector<std::uint32_t>& breaks);
  void FoldPhoneSlashes();
  void FoldDottedDates(const std::vector<std::uint32_t>& dots);
  void FoldShoutedLines();

  struct CodePointOffsets {
    std::uint32_t byte;
    std::uint32_t utf16;
  };
  std::string text_;
  // For each byte of text_, the index of the original code point it came from.
  std::vector<std::uint32_t> source_of_byte_;
  // Offsets of each original code point, plus one past-the-end sentinel.
  std::vector<CodePointOffsets> code_points_;
};

// The folding applied to one code point: the replacement (possibly empty, meaning "drop").
// Exposed for tests and for the rule checker.
std::u32string_view FoldCodePoint(char32_t code_point, char32_t (&buffer)[1]);

}  // namespace phiguard::util
