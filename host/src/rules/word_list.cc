#include "rules/word_list.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>

#include "util/ascii.h"

namespace phiguard::rules {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Word list files larger than this are refused: the dictionary is 0.6 MB; a list a hundred
// times that is a mistake, and it would sit in every host's memory.
constexpr std::uintmax_t kMaxWordListBytes = 64ull * 1024 * 1024;

// Each byte of a word as a class that keeps byte order: 0 past the word's end, 1 below
// 'a', 2-27 for 'a'-'z', 28 above 'z'. A word's bucket is the class of its first byte and,
// when that is a letter (one byte to a class), of its second: words sorted by bytes are
// then sorted by bucket, so each bucket is one stretch of the sorted list.
constexpr std::size_t kClasses = 29;
constexpr std::size_t kBuckets = kClasses * kClasses;
static_assert(WordList::kBucketIndexSize == kBuckets + 1);
std::size_t ClassAt(std::string_view word, std::size_t i) {
  if (i >= word.size()) return 0;
  const auto c = static_cast<unsigned char>(word[i]);
  if (c < 'a') return 1;
  if (c > 'z') return kClasses - 1;
  return 2 + static_cast<std::size_t>(c - 'a');
}
std::size_t Bucket(std::string_view word) {
  const std::size_t first = ClassAt(word, 0);
  const bool letter = first >= 2 && first < kClasses - 1;
  return first * kClasses + (letter ? ClassAt(word, 1) : 0);
}

bool InAny(const std::vector<std::shared_ptr<const WordList>>& lists, std::string_view word) {
  return std::any_of(lists.begin(), lists.end(),
                     [&](const auto& list) { return list->Contains(word); });
}

}  // namespace

WordList WordList::FromWords(const std::vector<std::string>& words) {
  auto owned = std::make_shared<Owned>();
  for (const auto& word : words) {
    if (word.empty()) continue;
    owned->offsets.push_back(static_cast<std::uint32_t>(owned->buffer.size()));
    owned->buffer += util::LowerAscii(word);
    owned->buffer += '\n';
  }
  WordList list;
  list.SortAndDedupe(*owned);
  list.Adopt(std::move(owned));
  return list;
}

WordList WordList::FromText(std::string_view text) {
  // Written through a pointer into a buffer sized for the whole text (every kept line is
  // at most its own bytes and a newline): appending a byte at a time was most of reading
  // the 1.3 MB of shipped lists at every start.
  auto owned = std::make_shared<Owned>();
  owned->buffer.resize(text.size() + 1);
  char* out = owned->buffer.data();
  const char* const begin = out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    owned->offsets.push_back(static_cast<std::uint32_t>(out - begin));
    for (const char c : line) *out++ = util::LowerAscii(c);
    *out++ = '\n';
  }
  owned->buffer.resize(static_cast<std::size_t>(out - begin));
  WordList list;
  list.SortAndDedupe(*owned);
  list.Adopt(std::move(owned));
  return list;
}

void WordList::Adopt(std::shared_ptr<Owned> owned) {
  buffer_ = owned->buffer;
  offsets_ = owned->offsets.data();
  offset_count_ = owned->offsets.size();
  bucket_begin_ = owned->bucket_begin.empty() ? nullptr : owned->bucket_begin.data();
  storage_ = std::move(owned);
}

void WordList::SortAndDedupe(Owned& owned) {
  auto& buffer_text = owned.buffer;
  auto& offsets = owned.offsets;
  const auto word_at = [&](std::uint32_t offset) {
    const std::string_view buffer(buffer_text);
    return buffer.substr(offset, buffer.find('\n', offset) - offset);
  };
  const auto less = [&](std::uint32_t a, std::uint32_t b) { return word_at(a) < word_at(b); };
  // The shipped lists are sorted already: one linear check instead of a sort at start-up.
  // Words lie one after another here, so each ends where the next begins, without
  // searching for its newline.
  const std::string_view buffer(buffer_text);
  const auto laid_out = [&](std::size_t i) {
    const std::size_t end = i + 1 < offsets.size() ? offsets[i + 1] - 1 : buffer.size() - 1;
    return buffer.substr(offsets[i], end - offsets[i]);
  };
  bool sorted = true;
  for (std::size_t i = 0; sorted && i + 1 < offsets.size(); ++i) {
    sorted = !(laid_out(i + 1) < laid_out(i));
  }
  if (!sorted) std::sort(offsets.begin(), offsets.end(), less);
  const auto same = [&](std::uint32_t a, std::uint32_t b) { return word_at(a) == word_at(b); };
  const auto unique_end = std::unique(offsets.begin(), offsets.end(), same);
  // Lay the words out in order, so each ends where the next starts (a sorted file with no
  // repeats already is).
  if (!sorted || unique_end != offsets.end()) {
    std::string ordered;
    ordered.reserve(buffer_text.size());
    for (auto it = offsets.begin(); it != unique_end; ++it) {
      const auto word = word_at(*it);
      *it = static_cast<std::uint32_t>(ordered.size());
      ordered.append(word).push_back('\n');
    }
    buffer_text = std::move(ordered);
  }
  offsets.erase(unique_end, offsets.end());
  offsets.push_back(static_cast<std::uint32_t>(buffer_text.size()));
  IndexBuckets(owned);
}

void WordList::IndexBuckets(Owned& owned) {
  auto& buckets = owned.bucket_begin;
  buckets.assign(kBuckets + 1, 0);
  const std::string_view buffer(owned.buffer);
  const auto& offsets = owned.offsets;
  const std::size_t words = offsets.size() - 1;
  // Counted, then summed: bucket b starts after every word of the buckets before it.
  for (std::size_t i = 0; i < words; ++i) {
    ++buckets[Bucket(buffer.substr(offsets[i], offsets[i + 1] - offsets[i] - 1)) + 1];
  }
  for (std::size_t b = 0; b < kBuckets; ++b) buckets[b + 1] += buckets[b];
}

bool WordList::Contains(std::string_view word) const {
  if (word.empty() || word.size() > 64 || bucket_begin_ == nullptr) return false;
  char lowered[64];
  for (std::size_t i = 0; i < word.size(); ++i) lowered[i] = util::LowerAscii(word[i]);
  const std::string_view key(lowered, word.size());
  const std::size_t bucket = Bucket(key);
  std::size_t low = bucket_begin_[bucket];
  std::size_t high = bucket_begin_[bucket + 1];
  while (low < high) {
    const std::size_t mid = low + (high - low) / 2;
    const auto candidate = Word(mid);
    if (candidate == key) return true;
    if (candidate < key) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return false;
}

std::shared_ptr<const WordList> LoadWordListFile(const std::filesystem::path& path) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const WordList>> loaded;
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec).string();
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw std::runtime_error("cannot read word list '" + path.string() + "'");
  if (size > kMaxWordListBytes) {
    throw std::runtime_error("word list '" + path.string() + "' is larger than 64 MiB");
  }
  std::lock_guard lock(mutex);
  if (auto it = loaded.find(canonical); it != loaded.end()) {
    if (auto list = it->second.lock()) return list;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read word list '" + path.string() + "'");
  // Read straight into one string of the file's size (a stringstream copied it twice).
  std::string content(static_cast<std::size_t>(size), '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  auto list = std::make_shared<const WordList>(WordList::FromText(content));
  loaded[canonical] = list;
  return list;
}

bool WordCheck::Passes(std::string_view span) const {
  bool found_name = false;
  // A span of skip words alone ("Hello, and thank you": the span is "and") names nobody.
  bool only_skipped = true;
  bool previous_was_name = false;  // the word looked up just before passed as an accepted name
  std::size_t pos = 0;
  while (pos < span.size()) {
    while (pos < span.size() && !IsAsciiLetter(span[pos])) ++pos;
    std::size_t end = pos;
    while (end < span.size() && IsAsciiLetter(span[end])) ++end;
    if (end == pos) break;
    std::string_view word = span.substr(pos, end - pos);
    const bool after_digit = pos > 0 && span[pos - 1] >= '0' && span[pos - 1] <= '9';
    pos = end;
    // A possessive or contraction ("Maria's") is looked up without its tail.
    if (pos + 1 < span.size() && span[pos] == '\'' &&
        (span[pos + 1] == 's' || span[pos + 1] == 'S') &&
        (pos + 2 == span.size() || !IsAsciiLetter(span[pos + 2]))) {
      pos += 2;
    }
    // The O' of O'Brien and the D' of D'Angelo belong to the name after them, which is
    // looked up on its own.
    const bool name_prefix = word.size() == 1 && pos + 1 < span.size() && span[pos] == '\'' &&
                             IsAsciiLetter(span[pos + 1]);
    const bool skipped = InAny(skip, word);
    only_skipped = only_skipped && skipped;
    if (after_digit || name_prefix || skipped) continue;
    const bool capitalised =
        case_blind || (IsUpper(word.front()) &&
                       (word.size() == 1 || !std::all_of(word.begin() + 1, word.end(), IsUpper)));
    if (capitalised_only && !capitalised) continue;
    if (InAny(never, word)) return false;
    const bool accepted = InAny(accept, word);
    if (any_accepted) {
      found_name = found_name || (accepted && (capitalised || !InAny(reject, word)));
      continue;
    }
    bool passes;
    if (capitalised) {
      passes = accepted || (!require_accepted && !InAny(reject, word)) ||
               (previous_was_name && InAny(after_name, word));
    } else {
      passes = accepted && !InAny(reject, word);
    }
    if (!passes) return false;
    previous_was_name = accepted && capitalised;
  }
  if (only_skipped) return false;
  return !any_accepted || found_name;
}

}  // namespace phiguard::rules
