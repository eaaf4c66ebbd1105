#pragma once
// A rule's literal terms, compiled into one Hyperscan alternation (a single expression per
// rule keeps the database small and the scan fast: 3,300 given names as separate
// expressions made a 3.9 MB database and doubled start-up). Hyperscan reports where a
// match ends; this set finds which term ends there, and so where it starts.

#include <bitset>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace phiguard::scan {

class TermSet {
 public:
  TermSet() = default;
  TermSet(const std::vector<std::string>& terms, bool caseless);

  // The start of the longest term that ends at `end` in `text` and starts on a word
  // boundary where the term starts with a word character; npos when none does.
  std::size_t StartOfTermEndingAt(std::string_view text, std::size_t end) const;

  bool empty() const { return terms_.empty(); }

 private:
  // Lookup by string_view, so checking a candidate allocates nothing: a term list is
  // consulted at every Hyperscan match of its literals, thousands of times per 64 KB.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  bool Contains(std::string_view candidate) const;

  std::unordered_set<std::string, Hash, std::equal_to<>> terms_;
  std::vector<std::size_t> lengths_;  // distinct term lengths, longest first
  // Per term length, which (lower-cased) bytes terms of that length start with: most
  // word-aligned stretches that a literal ends in are not terms, and one bit test settles
  // them before hashing (term lookups were an eighth of a PHI-dense scan).
  std::vector<std::bitset<256>> first_bytes_by_length_;
  bool caseless_ = false;
};

// Hyperscan expressions for a whole term list: alternations of escaped literals, split
// where one would pass Hyperscan's pattern length limit.
std::vector<std::string> TermListExpressions(const std::vector<std::string>& terms);

}  // namespace phiguard::scan
