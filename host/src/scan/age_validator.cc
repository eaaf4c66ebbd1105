#include "scan/age_validator.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

constexpr int kMinAge = 90;
constexpr int kMaxAge = 130;  // above the oldest verified human, so not an age

bool InAgeRange(int value) { return value >= kMinAge && value <= kMaxAge; }

bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }

// Any whole number of one to three digits in range ("94 y/o", "aged 101", "late 90s").
// Longer runs are years or counts ("born 1929" is a separate rule's business).
bool HasAgeInDigits(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!util::IsAsciiDigit(text[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    int value = 0;
    // Only runs of up to three digits are ages; a longer run is skipped without being
    // accumulated, so a pasted string of digits cannot overflow (found by fuzz.pack_loader).
    while (i < text.size() && util::IsAsciiDigit(text[i])) {
      if (i - start < 3) value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i - start <= 3 && InAgeRange(value)) return true;
  }
  return false;
}

// The value of one number word, or nullopt for any other word. "nineties" counts as 90 so
// "in her late nineties" reads as an age in the nineties.
std::optional<int> NumberWordValue(std::string_view word) {
  static constexpr std::array<std::string_view, 20> kUnits = {
      "zero",     "one",     "two",     "three",     "four",     "five",    "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static constexpr std::array<std::string_view, 8> kTens = {
      "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
  if (word == "nineties") return 90;
  if (const auto it = std::find(kUnits.begin(), kUnits.end(), word); it != kUnits.end()) {
    return static_cast<int>(it - kUnits.begin());
  }
  if (const auto it = std::find(kTens.begin(), kTens.end(), word); it != kTens.end()) {
    return 20 + 10 * static_cast<int>(it - kTens.begin());
  }
  return std::nullopt;
}

// Reads the first run of number words ("ninety-one", "one hundred and two", "a hundred
// thirty"): units and tens add, "hundred" multiplies what came before (or 1), and "a"/"and"
// inside the run carry no value. Returns 0 when there is no number word.
int FirstNumberInWords(std::string_view lower) {
  int value = 0;
  bool in_number = false;
  std::size_t i = 0;
  while (i < lower.size()) {
    if (!IsLetter(lower[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < lower.size() && IsLetter(lower[i])) ++i;
    const std::string_view word = lower.substr(start, i - start);
    if (word == "hundred") {
      value = std::max(value, 1) * 100;
      in_number = true;
    } else if (const auto part = NumberWordValue(word)) {
      value += *part;
      in_number = true;
    } else if (word == "a" || word == "and") {
      continue;  // "a hundred and two"
    } else if (in_number) {
      break;  // the number ended ("ninety-one years old")
    }
  }
  return value;
}

}  // namespace

bool IsAgeOver89(std::string_view candidate) {
  const std::string lower = util::LowerAscii(candidate);
  // Also matches "supercentenarian" and the plurals.
  if (lower.find("nonagenarian") != std::string::npos ||
      lower.find("centenarian") != std::string::npos) {
    return true;
  }
  return HasAgeInDigits(lower) || InAgeRange(FirstNumberInWords(lower));
}

}  // namespace phiguard::scan
