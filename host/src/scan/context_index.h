#pragma once
// Context phrases found once per scan over the windows of all of a rule's candidates, so
// that each candidate looks its windows up instead of searching them.
//
// NOTE: in a paste dense with candidates each byte lies in many windows (a titled name
// every 8 bytes with 40-byte windows: ten), and searching every window for every phrase
// was a third of such a scan. Indexing the whole text once instead was tried earlier and
// made sparse texts slower (docs/performance.md, "Context phrases do not belong in
// Hyperscan"): here only the union of one rule's windows is read, once, so a sparse text
// reads what the per-candidate search read and a dense one reads each byte once.

#include <array>
#include <bitset>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/rule.h"
#include "scan/context_scorer.h"

namespace phiguard::scan {

// A rule's context phrases arranged for lookup by first byte; built once per rule set.
class ContextPhrases {
 public:
  ContextPhrases() = default;
  // `spec` must outlive this (it lives in the rule, as long as the rule set).
  explicit ContextPhrases(const rules::ContextSpec& spec);

  // Whether ContextIndex can answer for this rule: it has phrases, and no more distinct
  // ones than the index's bit set holds (the shipped rules have at most 73). Otherwise
  // FindContext searches window by window.
  bool Indexable() const { return spec_ != nullptr && !phrases_.empty() && fits_; }

 private:
  friend class ContextIndex;
  static constexpr std::size_t kMaxPhrases = 256;
  static constexpr std::uint16_t kNoPhrase = UINT16_MAX;  // an empty phrase: never found
  struct Phrase {
    std::string_view text;
    bool word_start = false;  // starts with a word byte: needs a word boundary before it
    bool word_end = false;    // ends with one: needs a boundary after it
  };
  std::uint16_t Intern(std::string_view text);

  const rules::ContextSpec* spec_ = nullptr;
  bool fits_ = true;
  std::vector<Phrase> phrases_;       // distinct
  std::vector<std::uint16_t> raise_;  // per spec.raise entry, its phrase (or kNoPhrase)
  std::vector<std::uint16_t> lower_;  // per spec.lower entry, its phrase (or kNoPhrase)
  // The phrases starting with byte b: first_byte_ids_[first_byte_begin_[b], [b + 1]).
  std::array<std::uint16_t, 257> first_byte_begin_{};
  std::vector<std::uint16_t> first_byte_ids_;
};

// One rule's phrases in the windows of its candidates in one text.
class ContextIndex {
 public:
  // Finds `phrases` in `lowered_text` (the scan text, lower-cased as FindContext wants it)
  // within the windows of the candidates `spans` ([start, end) pairs, any order).
  // `phrases.Indexable()` must hold; the text and the phrases must outlive the index.
  ContextIndex(std::string_view lowered_text, const ContextPhrases& phrases,
               const std::vector<std::pair<std::size_t, std::size_t>>& spans);

  // FindContext(lowered_text, start, end, spec) for one of the candidates given above: the
  // same phrases, in the same order.
  ContextHits Find(std::size_t start, std::size_t end) const;

 private:
  // Where a phrase occurs at a word start (anywhere, for one that starts with punctuation).
  // `bounded`: no word byte follows, so it is whole in any window that holds it; otherwise
  // only in a window that ends right after it.
  struct Occurrence {
    std::size_t pos;
    std::uint16_t phrase;
    bool bounded;
  };
  using Present = std::bitset<ContextPhrases::kMaxPhrases>;

  void IndexRegion(std::size_t from, std::size_t to);
  bool IsAt(std::size_t pos, const ContextPhrases::Phrase& phrase) const;
  void MarkWindow(std::size_t from, std::size_t to, Present& present) const;

  std::string_view text_;
  const ContextPhrases* phrases_;
  std::vector<Occurrence> occurrences_;  // by position
};

}  // namespace phiguard::scan
