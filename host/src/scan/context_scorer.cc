#include "scan/context_scorer.h"

#include <algorithm>
#include <bitset>
#include <cstdint>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

// NOTE: one raise word is strong evidence ("SSN 123-45-6789"); more add less. Values
// chosen so a labelled candidate clears any rule's base confidence and a "Dr." before a
// name drops it below the reporting floor.
constexpr double kFirstRaise = 0.3;
constexpr double kFurtherRaise = 0.1;
constexpr double kLowerStep = 0.35;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// The neighbouring word without the punctuation around it; a dot that ends it stays, so
// "St." and "Mt." can be listed as they are written. Not lower-cased: the lookup compares
// it lower-cased (AdjacentDrops::WordTable::ContainsLowered).
std::string_view Neighbour(std::string_view token) {
  const auto strip = std::string_view(",;:!?\"'()[]");
  while (!token.empty() && strip.find(token.front()) != std::string_view::npos) {
    token.remove_prefix(1);
  }
  while (!token.empty() && strip.find(token.back()) != std::string_view::npos) {
    token.remove_suffix(1);
  }
  return token;
}

// FNV-1a over `text` with its ASCII letters lower-cased (util::LowerAscii): the table's
// words are lower-case already, so a word and a neighbour that lower-cases to it agree.
std::uint64_t LoweredHash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(util::LowerAscii(c));
    hash *= 1099511628211ULL;
  }
  return hash;
}

// Whether `token` lower-cased is `word`.
bool EqualsLowered(std::string_view token, std::string_view word) {
  if (token.size() != word.size()) return false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (util::LowerAscii(token[i]) != word[i]) return false;
  }
  return true;
}

// The bytes that begin a word in `window` (its first byte counts as a word start, as in
// ContainsWholeWord). A phrase starting with a word byte can only be found whole where a
// word starts with that byte: one bit test rules out most of a rule's phrases before any
// search (context windows were a sixth of a PHI-dense scan).
std::bitset<256> WordStartBytes(std::string_view window) {
  std::bitset<256> starts;
  for (std::size_t i = 0; i < window.size(); ++i) {
    if (IsContextWordByte(window[i]) && (i == 0 || !IsContextWordByte(window[i - 1]))) {
      starts.set(static_cast<unsigned char>(window[i]));
    }
  }
  return starts;
}

// ContainsWholeWord, after the bit test above.
bool InWindow(std::string_view window, const std::bitset<256>& word_starts,
              std::string_view phrase) {
  if (!phrase.empty() && IsContextWordByte(phrase.front()) &&
      !word_starts.test(static_cast<unsigned char>(phrase.front()))) {
    return false;
  }
  return ContainsWholeWord(window, phrase);
}

}  // namespace

bool AdjacentWordDrops(std::string_view text, std::size_t start, std::size_t end,
                       const rules::ContextSpec& spec) {
  return AdjacentDrops(spec).Drops(text, start, end);
}

void AdjacentDrops::WordTable::Assign(const std::vector<std::string>& list) {
  longest = 0;
  std::size_t size = 4;
  while (size < 2 * list.size() + 2) size *= 2;
  slots.assign(size, std::string_view());
  for (const auto& word : list) {
    if (word.empty()) continue;  // an empty neighbour is never listed
    // A listed word with upper-case letters never equals a lower-cased neighbour, as
    // before; its hash may sit in the wrong slot, which only ever makes it not found.
    std::size_t at = LoweredHash(word) & (slots.size() - 1);
    while (!slots[at].empty() && slots[at] != word) at = (at + 1) & (slots.size() - 1);
    slots[at] = word;
    longest = std::max(longest, word.size());
  }
}

bool AdjacentDrops::WordTable::ContainsLowered(std::string_view token) const {
  if (token.empty() || token.size() > longest) return false;
  for (std::size_t at = LoweredHash(token) & (slots.size() - 1); !slots[at].empty();
       at = (at + 1) & (slots.size() - 1)) {
    if (EqualsLowered(token, slots[at])) return true;
  }
  return false;
}

AdjacentDrops::AdjacentDrops(const rules::ContextSpec& spec) {
  before_.Assign(spec.drop_before);
  after_.Assign(spec.drop_after);
}

bool AdjacentDrops::Drops(std::string_view text, std::size_t start, std::size_t end) const {
  if (!before_.empty()) {
    std::size_t stop = start;
    while (stop > 0 && IsSpace(text[stop - 1])) --stop;
    std::size_t begin = stop;
    while (begin > 0 && !IsSpace(text[begin - 1]) && text[begin - 1] != '\n') --begin;
    if (stop < start && before_.ContainsLowered(Neighbour(text.substr(begin, stop - begin)))) {
      return true;
    }
  }
  if (!after_.empty()) {
    std::size_t begin = end;
    while (begin < text.size() && IsSpace(text[begin])) ++begin;
    std::size_t stop = begin;
    while (stop < text.size() && !IsSpace(text[stop]) && text[stop] != '\n') ++stop;
    if (begin > end) {
      const std::string_view word = Neighbour(text.substr(begin, stop - begin));
      if (after_.ContainsLowered(word)) return true;
      // "Memorial." at a sentence end is still "memorial".
      if (!word.empty() && word.back() == '.' &&
          after_.ContainsLowered(word.substr(0, word.size() - 1))) {
        return true;
      }
    }
  }
  return false;
}

bool ContainsWholeWord(std::string_view haystack, std::string_view phrase) {
  if (phrase.empty()) return false;
  const bool word_start = IsContextWordByte(phrase.front());
  const bool word_end = IsContextWordByte(phrase.back());
  for (std::size_t pos = haystack.find(phrase); pos != std::string_view::npos;
       pos = haystack.find(phrase, pos + 1)) {
    const bool left_ok = !word_start || pos == 0 || !IsContextWordByte(haystack[pos - 1]);
    const std::size_t after = pos + phrase.size();
    const bool right_ok =
        !word_end || after >= haystack.size() || !IsContextWordByte(haystack[after]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

ContextHits FindContext(std::string_view lowered_text, std::size_t start, std::size_t end,
                        const rules::ContextSpec& spec) {
  ContextHits hits;
  if (spec.raise.empty() && spec.lower.empty()) return hits;
  const std::size_t before_start = start > spec.window ? start - spec.window : 0;
  const std::size_t after_end = std::min(lowered_text.size(), end + spec.window);
  // The two sides are searched separately so a phrase never spans the candidate. Views
  // into the text the caller lower-cased once per scan: no copy per candidate.
  const std::string_view before = lowered_text.substr(before_start, start - before_start);
  const std::string_view after = lowered_text.substr(end, after_end - end);
  const auto before_starts = WordStartBytes(before);
  const auto after_starts = WordStartBytes(after);
  const auto near = [&](const std::string& phrase) {
    return InWindow(before, before_starts, phrase) || InWindow(after, after_starts, phrase);
  };
  for (const auto& word : spec.raise) {
    if (near(word)) hits.raised.push_back(word);
  }
  for (const auto& word : spec.lower) {
    if (near(word)) hits.lowered.push_back(word);
  }
  return hits;
}

double AdjustConfidence(double base, const ContextHits& hits) {
  double confidence = base;
  if (!hits.raised.empty()) {
    confidence += kFirstRaise + kFurtherRaise * static_cast<double>(hits.raised.size() - 1);
  }
  confidence -= kLowerStep * static_cast<double>(hits.lowered.size());
  return std::clamp(confidence, 0.0, 1.0);
}

}  // namespace phiguard::scan
