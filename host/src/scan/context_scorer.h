#pragma once
// Context words: whole words or phrases near a candidate that raise or lower confidence
// ("SSN" before nine digits; "fax" before a phone number; "Dr." before a name).

#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"

namespace phiguard::scan {

// A byte of a word as context phrases see it: ASCII letters and digits, and every byte of a
// multi-byte UTF-8 character (so "café" is one word). Unlike util::IsAsciiWordByte, '_' is
// not one.
constexpr bool IsContextWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

// Views of the rule's own phrases (they live as long as the rules): a scan finds context
// for every candidate, and copying the words cost an allocation each.
struct ContextHits {
  std::vector<std::string_view> raised;   // the raise words found
  std::vector<std::string_view> lowered;  // the lower words found
};

// Looks `spec.window` bytes before `start` and after `end` in `text` (the normalised scan
// text), case-insensitively, for whole-word occurrences. The candidate itself is excluded.
// `lowered_text` is the scanned text with ASCII letters lower-cased (util::LowerAscii), made
// once per scan; phrases in `spec` are lower case.
ContextHits FindContext(std::string_view lowered_text, std::size_t start, std::size_t end,
                        const rules::ContextSpec& spec);

// True when the word right before the candidate is in `spec.drop_before`, or the word
// right after it is in `spec.drop_after` (case-insensitive; spaces between are skipped, and
// punctuation around the neighbouring word is ignored, except a dot that ends it: "st.").
// Builds the word tables on every call (tests and one-off checks): a scan uses the rule's
// AdjacentDrops, made once per rule set (CompiledRule::drops).
bool AdjacentWordDrops(std::string_view text, std::size_t start, std::size_t end,
                       const rules::ContextSpec& spec);

// A rule's drop_before and drop_after words, hashed once per rule set so that a candidate's
// neighbour is found by one hash of its bytes, lower-cased as they are read: nothing is
// copied or allocated per candidate.
// NOTE: the lists were searched word by word with a lower-cased copy of the neighbour per
// candidate; `phi.name_given` lists about 150 words, and that search was 8 % of a paste dense
// with titled names (`Mr. Abe ` repeated, docs/performance.md). A binary search in the
// sorted words still took half of that.
class AdjacentDrops {
 public:
  AdjacentDrops() = default;
  // `spec` must outlive this (it lives in the rule, as long as the rule set): the words are
  // views of its strings.
  explicit AdjacentDrops(const rules::ContextSpec& spec);

  // AdjacentWordDrops(text, start, end, spec) for the `spec` this was made from.
  bool Drops(std::string_view text, std::size_t start, std::size_t end) const;

 private:
  // One list: its distinct non-empty words in an open-addressed table (a power of two in
  // size, under half full, linear probing), and the longest one's length (a neighbour
  // longer than that is not listed, without hashing).
  struct WordTable {
    std::vector<std::string_view> slots;  // empty views are free slots
    std::size_t longest = 0;
    void Assign(const std::vector<std::string>& list);
    bool empty() const { return longest == 0; }
    // Whether `token` with its ASCII letters lower-cased is one of the words.
    bool ContainsLowered(std::string_view token) const;
  };
  WordTable before_;
  WordTable after_;
};

// True when `phrase` (lower-case) occurs in `haystack` (lower-case) as whole words.
bool ContainsWholeWord(std::string_view haystack, std::string_view phrase);

// The confidence after context: each raise word adds, each lower word subtracts.
double AdjustConfidence(double base, const ContextHits& hits);

}  // namespace phiguard::scan
