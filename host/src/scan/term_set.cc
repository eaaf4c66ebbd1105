#include "scan/term_set.h"

#include <algorithm>

#include "scan/compiled_rules.h"
#include "util/ascii.h"

namespace phiguard::scan {

TermSet::TermSet(const std::vector<std::string>& terms, bool caseless) : caseless_(caseless) {
  std::size_t capacity = 16;
  while (capacity < 2 * terms.size()) capacity *= 2;
  slots_.resize(capacity);
  for (const auto& term : terms) {
    if (term.empty()) continue;
    const std::string stored = caseless ? util::LowerAscii(term) : term;
    Insert(stored);
    lengths_.push_back(term.size());
    if (first_bytes_by_length_.size() <= term.size())
      first_bytes_by_length_.resize(term.size() + 1);
    first_bytes_by_length_[term.size()].set(static_cast<unsigned char>(stored.front()));
  }
  std::sort(lengths_.begin(), lengths_.end(), std::greater<>());
  lengths_.erase(std::unique(lengths_.begin(), lengths_.end()), lengths_.end());
}

void TermSet::Insert(std::string_view term) {
  if (Contains(term)) return;  // already lower-cased when caseless: Contains folds again
  const std::uint64_t hash = Hash(term);
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = static_cast<std::size_t>(hash) & mask;
  while (slots_[at].length != 0) at = (at + 1) & mask;
  slots_[at] = {hash, static_cast<std::uint32_t>(buffer_.size()),
                static_cast<std::uint32_t>(term.size())};
  buffer_.append(term);
  ++size_;
}

bool TermSet::Contains(std::string_view candidate) const {
  // Lower-case into a buffer on the stack; terms longer than it are rare enough to allocate.
  char lowered[128];
  std::string long_lowered;
  std::string_view key = candidate;
  if (caseless_ && candidate.size() > sizeof(lowered)) {
    long_lowered = util::LowerAscii(candidate);
    key = long_lowered;
  } else if (caseless_) {
    for (std::size_t i = 0; i < candidate.size(); ++i) lowered[i] = util::LowerAscii(candidate[i]);
    key = std::string_view(lowered, candidate.size());
  }
  if (key.empty() || size_ == 0) return false;
  const std::uint64_t hash = Hash(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = static_cast<std::size_t>(hash) & mask; slots_[at].length != 0;
       at = (at + 1) & mask) {
    const auto& slot = slots_[at];
    if (slot.hash == hash && slot.length == key.size() &&
        std::string_view(buffer_).substr(slot.offset, slot.length) == key) {
      return true;
    }
  }
  return false;
}

std::size_t TermSet::StartOfTermEndingAt(std::string_view text, std::size_t end) const {
  // Whole words only: the expressions are plain literals (see TermListExpressions), so the
  // boundaries are checked here, before any lookup. A literal that ends inside a word ("Al"
  // in "Also") is the common case in ordinary text, and is settled by two byte tests.
  if (end == 0 || end > text.size()) return std::string_view::npos;
  const bool word_end = util::IsAsciiWordByte(static_cast<unsigned char>(text[end - 1]));
  if (word_end && end < text.size() &&
      util::IsAsciiWordByte(static_cast<unsigned char>(text[end]))) {
    return std::string_view::npos;
  }
  for (std::size_t length : lengths_) {
    if (length > end) continue;
    const std::size_t start = end - length;
    const char first = caseless_ ? util::LowerAscii(text[start]) : text[start];
    if (!first_bytes_by_length_[length].test(static_cast<unsigned char>(first))) continue;
    const bool word_start = util::IsAsciiWordByte(static_cast<unsigned char>(text[start]));
    if (word_start && start > 0 &&
        util::IsAsciiWordByte(static_cast<unsigned char>(text[start - 1]))) {
      continue;
    }
    if (Contains(text.substr(start, length))) return start;
  }
  return std::string_view::npos;
}

namespace {

// A term escaped byte for byte, with no boundaries.
std::string LiteralExpression(std::string_view term) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string expression;
  for (char ch : term) {
    const auto c = static_cast<unsigned char>(ch);
    if (util::IsAsciiWordByte(c)) {
      expression += ch;
    } else {
      expression += "\\x";
      expression += kHex[c >> 4];
      expression += kHex[c & 0xF];
    }
  }
  return expression;
}

}  // namespace

std::vector<std::string> TermListExpressions(const std::vector<std::string>& terms) {
  // NOTE: plain literals without \b: Hyperscan compiles a 3,300-name alternation with
  // per-term boundaries in ~7.5 s, and as pure literals in well under a second; TermSet
  // checks the word boundaries instead. Patterns of 16,000 bytes and more are refused
  // ("Pattern length exceeds limit"); 8,000 leaves room for escaping.
  constexpr std::size_t kMaxExpressionBytes = 8000;
  std::vector<std::string> expressions;
  std::string current;
  for (const auto& term : terms) {
    const std::string part = LiteralExpression(term);
    if (!current.empty() && current.size() + part.size() + 2 > kMaxExpressionBytes) {
      expressions.push_back("(?:" + current + ")");
      current.clear();
    }
    if (!current.empty()) current += '|';
    current += part;
  }
  if (!current.empty()) expressions.push_back("(?:" + current + ")");
  return expressions;
}

}  // namespace phiguard::scan
