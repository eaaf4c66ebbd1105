#pragma once
// Large word lists (a dictionary, Census names) for the `words` check of a rule: whether a
// candidate's words are names or ordinary English. Tens of thousands of words, so they are
// kept as one buffer of sorted lower-case lines with an offset per word (2 MB for the
// default lists, where a hash set of strings took 13 MB), loaded once per file and shared
// by every rule that names it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace phiguard::rules {

class WordList {
 public:
  // Words are lower-cased; '#' lines and blank lines are skipped. Files written sorted
  // (rules/tools/make_word_lists.py) load without sorting.
  static WordList FromWords(const std::vector<std::string>& words);
  static WordList FromText(std::string_view text);

  // `word` compared case-insensitively (ASCII).
  bool Contains(std::string_view word) const;
  std::size_t size() const { return offset_count_ == 0 ? 0 : offset_count_ - 1; }
  // How many entries the bucket index has (29 byte classes squared, and one past the last).
  static constexpr std::size_t kBucketIndexSize = 29 * 29 + 1;

 private:
  // The compiled pack form (rules/pack_image.h) writes a list as it lies here and reads
  // it back without sorting or indexing, where it lies in the mapped form when it can.
  friend struct PackImageAccess;

  // What a list built here owns; a list read in place owns the mapping instead (storage_).
  struct Owned {
    std::string buffer;
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> bucket_begin;
  };

  std::string_view Word(std::size_t i) const {  // the i-th word in order
    return buffer_.substr(offsets_[i], offsets_[i + 1] - offsets_[i] - 1);
  }
  void SortAndDedupe(Owned& owned);
  static void IndexBuckets(Owned& owned);
  // Points the views at `owned`, which the list then keeps.
  void Adopt(std::shared_ptr<Owned> owned);

  // NOTE: the three parts are views, of an Owned on the heap or of the compiled pack form
  // mapped read-only (its 2.1 MB of lists were copied into fresh heap pages at every start,
  // two thirds of what decoding the form cost: docs/performance.md "Start-up, sixth
  // round"); a lookup reads them through a pointer either way, as it read the vectors.
  std::string_view buffer_;  // words, each followed by '\n'; in order once sorted
  // Start of each word in buffer_, in word order, and one past the last: once sorted, word
  // i ends where word i + 1 starts.
  const std::uint32_t* offsets_ = nullptr;
  std::size_t offset_count_ = 0;
  // NOTE: a lookup was a binary search over the whole list, finding each probed word's end
  // with memchr: 17 probes in the surnames, and the largest cost of scanning a paste dense
  // with names. The words whose first two bytes fall in bucket b (Bucket()) are
  // [bucket_begin_[b], bucket_begin_[b + 1]): a search over a few hundred, each word's end
  // known. Null for an empty list that was never indexed.
  const std::uint32_t* bucket_begin_ = nullptr;
  std::shared_ptr<const void> storage_;  // what the views above point into
};

// The same file named by several rules (and packs) is read once: the list behind a path,
// loaded on first use. Throws std::runtime_error naming the file when it cannot be read.
std::shared_ptr<const WordList> LoadWordListFile(const std::filesystem::path& path);

// A rule's `words` check (rules/README.md "Word checks"): each word of a candidate span is
// looked up, except those in a `skip` list. A word in a `never` list fails (month and day names,
// "God"). Otherwise a word in an `accept` list passes; a Capitalised word passes unless it is in a
// `reject` list (or, with require_accepted, unless it is accepted); a lower-case or ALL-CAPS word
// passes only when accepted and not rejected, since case tells nothing there. Letters right after a
// digit ("5th") are not a word.
struct WordCheck {
  std::vector<std::shared_ptr<const WordList>> accept;
  std::vector<std::shared_ptr<const WordList>> reject;
  std::vector<std::shared_ptr<const WordList>> never;
  // Words not looked up at all: the connectors a shape allows inside a span ("Kwame and
  // Efua").
  std::vector<std::shared_ptr<const WordList>> skip;
  // Surnames that are also English words ("Smith", "Baker", "Young"): left out of the
  // surname list because alone they are words, they pass when Capitalised right after a
  // word that passed as a name ("John Smith"), never alone or after another word
  // ("Brown Rice").
  std::vector<std::shared_ptr<const WordList>> after_name;
  bool require_accepted = false;
  // Only Capitalised words are looked up: place rules, whose connecting words ("and", "of")
  // are lower case and whose names are capitalised when people write them.
  bool capitalised_only = false;
  // Every word is judged as if Capitalised: shapes whose case is fixed by the pattern
  // ("LAST, FIRST" in capitals), where case says nothing about name or word.
  bool case_blind = false;
  // The span passes when at least one of its words is a name (accepted, and for a lower-case
  // word not rejected), whatever the others are: a link's slug ("harold-teague-1941") names
  // a person among other words.
  bool any_accepted = false;

  bool empty() const { return accept.empty() && reject.empty() && never.empty(); }
  // Whether every word of `span` passes.
  bool Passes(std::string_view span) const;
};

}  // namespace phiguard::rules
