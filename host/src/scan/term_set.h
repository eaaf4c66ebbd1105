#pragma once
// A rule's literal terms, compiled into one Hyperscan alternation (a single expression per
// rule keeps the database small and the scan fast: 3,300 given names as separate
// expressions made a 3.9 MB database and doubled start-up). Hyperscan reports where a
// match ends; this set finds which term ends there, and so where it starts.

#include <bitset>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace phiguard::scan {

class TermSet {
 public:
  TermSet() = default;
  TermSet(const std::vector<std::string>& terms, bool caseless);

  // The start of the longest term that ends at `end` in `text` and starts on a word
  // boundary where the term starts with a word character; npos when none does.
  std::size_t StartOfTermEndingAt(std::string_view text, std::size_t end) const;

  bool empty() const { return size_ == 0; }

 private:
  bool Contains(std::string_view candidate) const;
  void Insert(std::string_view term);

  // The terms in one flat table: a lookup reads one slot and, when the hash matches, the
  // term's bytes. Checking a candidate allocates nothing: a term list is consulted at every
  // Hyperscan match of its literals, thousands of times per 64 KB.
  // NOTE: a std::unordered_set<std::string> read a bucket, a node and the node before it,
  // each a likely cache miss in a long paste of varied posts (its lookups were 4 % of
  // scanning 64 KB of dev posts, a fifth of that when one post is scanned again and again).
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0;  // of the term in buffer_
    std::uint32_t length = 0;  // 0: an empty slot (terms are never empty)
  };
  static std::uint64_t Hash(std::string_view text) { return std::hash<std::string_view>{}(text); }
  std::string buffer_;       // the distinct terms (lower-cased when caseless), back to back
  std::vector<Slot> slots_;  // open addressing, linear probing; a power of two, under half full
  std::size_t size_ = 0;     // distinct terms
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
