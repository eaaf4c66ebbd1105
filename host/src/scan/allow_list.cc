#include "scan/allow_list.h"

#include <algorithm>
#include <array>

#include "util/ascii.h"
#include "util/normalized_text.h"

namespace phiguard::scan {
namespace {

// Letters decide how an entry compares: ASCII letters, and any non-ASCII byte (after
// normalisation folded accents, what is left is a letter of another script or a symbol).
bool HasLetters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (util::LowerAscii(c) >= 'a' && util::LowerAscii(c) <= 'z');
  });
}

// Folded as the scanner sees text, lower-cased, white space runs made one space, trimmed.
std::string WordsKey(std::string_view text) {
  const util::NormalizedText normalized(text);
  std::string key;
  bool space = false;
  for (const char c : normalized.text()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += util::LowerAscii(c);
  }
  return key;
}

// The digits, without a leading NANP country code: "+1 (555) 555-2000" is "5555552000".
std::string NumberKey(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (util::IsAsciiDigit(c)) digits += c;
  }
  if (digits.size() == 11 && digits.front() == '1') digits.erase(0, 1);
  return digits;
}

// Never the organisation's own: see Allows in the header.
constexpr std::array<std::string_view, 3> kNeverAllowed = {"ssn", "mrn", "health_plan"};

}  // namespace

AllowList::AllowList(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    const util::NormalizedText normalized(entry);
    if (HasLetters(normalized.text())) {
      if (auto key = WordsKey(entry); !key.empty()) words_.insert(std::move(key));
    } else if (auto key = NumberKey(normalized.text()); !key.empty()) {
      // A ten-digit number is also written without its area code ("call 555-2000"), which
      // the packs find as a local number.
      if (key.size() == 10) numbers_.insert(key.substr(3));
      numbers_.insert(std::move(key));
    }
  }
}

bool AllowList::Reaches(const rules::Rule& rule) const {
  return !empty() && rule.kind == rules::Kind::kPhi &&
         std::find(kNeverAllowed.begin(), kNeverAllowed.end(), rule.category) ==
             kNeverAllowed.end();
}

bool AllowList::Allows(const rules::Rule& rule, std::string_view matched) const {
  if (!Reaches(rule)) return false;
  if (HasLetters(matched)) return words_.contains(WordsKey(matched));
  return numbers_.contains(NumberKey(matched));
}

}  // namespace phiguard::scan
