#include "scan/date_validator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

// Between the parts of a written date: "March 3, 2021", "14-Mar-2024", "Jan. 5".
constexpr std::string_view kWrittenSeparators = " ,.-/";
// Between the parts of a numeric date; one of them, used throughout.
constexpr std::string_view kNumericSeparators = "/-.";

struct Token {
  bool number;
  int value;          // numbers: the value; words: the month (1..12) or 0
  std::size_t width;  // digits in a number
};

int MonthOf(std::string_view word_as_written) {
  const std::string word = util::LowerAscii(word_as_written);
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    // Full names and the usual abbreviations ("Sept", "Sep", "Mar").
    if (word == kMonths[i] || (word.size() >= 3 && kMonths[i].starts_with(word))) {
      return static_cast<int>(i + 1);
    }
  }
  return 0;
}

// A day written as an ordinal word ("the fifth of June"): 1..20 and 30, or 0. Twenty-first
// to twenty-ninth and thirty-first come as "twenty" or "thirty" and then one of these.
int OrdinalDayOf(const std::string& word) {
  static constexpr std::array<std::string_view, 20> kOrdinals = {
      "first",     "second",      "third",      "fourth",     "fifth",
      "sixth",     "seventh",     "eighth",     "ninth",      "tenth",
      "eleventh",  "twelfth",     "thirteenth", "fourteenth", "fifteenth",
      "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"};
  for (std::size_t i = 0; i < kOrdinals.size(); ++i) {
    if (word == kOrdinals[i]) return static_cast<int>(i + 1);
  }
  return word == "thirtieth" ? 30 : 0;
}

bool IsOrdinalSuffix(const std::string& word) {
  return word == "st" || word == "nd" || word == "rd" || word == "th";
}

std::optional<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  int tens = 0;  // "twenty" or "thirty" waiting for the ordinal that completes it
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (util::IsAsciiDigit(text[i])) {
      int value = 0;
      std::size_t width = 0;
      while (i < text.size() && util::IsAsciiDigit(text[i])) {
        if (++width > 4) return std::nullopt;
        value = value * 10 + (text[i++] - '0');
      }
      tokens.push_back({true, value, width});
    } else if (std::isalpha(c)) {
      std::string word;
      while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
        word.push_back(text[i++]);
      }
      if (IsOrdinalSuffix(word) && !tokens.empty() && tokens.back().number) continue;
      if (word == "of" || word == "the") continue;
      word = util::LowerAscii(word);
      if (tens == 0 && (word == "twenty" || word == "thirty")) {
        tens = word == "twenty" ? 20 : 30;
        continue;
      }
      // Width 2: a day, never a year.
      if (const int day = OrdinalDayOf(word); day != 0 && (tens == 0 || day < 10)) {
        tokens.push_back({true, tens + day, 2});
        tens = 0;
        continue;
      }
      if (tens != 0) return std::nullopt;  // "twenty June"
      const int month = MonthOf(word);
      if (month == 0) return std::nullopt;
      tokens.push_back({false, month, 0});
    } else if (kWrittenSeparators.find(text[i]) != std::string_view::npos) {
      ++i;
    } else {
      return std::nullopt;  // a time such as 10:30 is not part of a date
    }
  }
  if (tens != 0) return std::nullopt;
  return tokens;
}

// Splits "3/14/2024" into its numbers. One separator must be used throughout, and a date
// without a year only counts with a slash: decimals (3.14), ranges (3-14) and mixed forms
// (3/14-2024) are not dates.
std::optional<std::vector<Token>> SplitNumeric(std::string_view text) {
  std::vector<Token> tokens;
  char separator = 0;
  std::size_t i = 0;
  while (true) {
    Token token{true, 0, 0};
    while (i < text.size() && util::IsAsciiDigit(text[i])) {
      if (++token.width > 4) return std::nullopt;
      token.value = token.value * 10 + (text[i++] - '0');
    }
    if (token.width == 0) return std::nullopt;
    tokens.push_back(token);
    if (i == text.size()) break;
    if (separator == 0) separator = text[i];
    if (text[i] != separator || kNumericSeparators.find(separator) == std::string_view::npos) {
      return std::nullopt;
    }
    ++i;
  }
  if (tokens.size() == 2 && separator != '/') return std::nullopt;
  return tokens;
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// year < 0 means "no year given": February 29 is then allowed.
bool DayExists(int year, int month, int day) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[static_cast<std::size_t>(month - 1)]) {
    return false;
  }
  return !(month == 2 && day == 29 && year >= 0 && !IsLeap(year));
}

bool YearOk(const Token& t) {
  if (t.width == 4) return t.value >= 1900 && t.value <= 2099;
  return t.width == 2;
}

int FullYear(const Token& t) { return t.width == 4 ? t.value : 2000 + t.value; }

// 1 January 1900 is what record systems print when no date was entered, and the birth
// date of every training-system test patient ("ZZTEST, MICKEY DOB 01/01/1900"): no one's.
bool IsEmptyRecordDate(int year, int month, int day) {
  return year == 1900 && month == 1 && day == 1;
}

bool NumericDate(const std::vector<Token>& t) {
  if (t.size() == 2) return DayExists(-1, t[0].value, t[1].value);  // M/D
  if (t.size() != 3) return false;
  if (t[0].width == 4) {  // Y-M-D
    return YearOk(t[0]) && DayExists(t[0].value, t[1].value, t[2].value) &&
           !IsEmptyRecordDate(t[0].value, t[1].value, t[2].value);
  }
  if (!YearOk(t[2]) || t[0].width > 2 || t[1].width > 2) return false;
  const int year = FullYear(t[2]);
  if (t[2].width == 4 && IsEmptyRecordDate(year, t[0].value, t[1].value)) return false;
  // US order first; day-first where the first part cannot be a month (14.03.2024).
  return DayExists(year, t[0].value, t[1].value) || DayExists(year, t[1].value, t[0].value);
}

bool WrittenDate(const std::vector<Token>& t) {
  std::optional<int> month, day, year;
  for (const auto& token : t) {
    if (!token.number) {
      if (month) return false;
      month = token.value;
    } else if (token.width <= 2 && !day && !(month && year)) {
      day = token.value;
    } else if (token.width == 4 && !year) {
      if (!YearOk(token)) return false;
      year = token.value;
    } else {
      return false;
    }
  }
  if (!month) return false;
  if (!day) return year.has_value();  // "March 2024"
  return DayExists(year.value_or(-1), *month, *day);
}

// YYYYMMDD, as record systems print dates of birth.
bool CompactDate(std::string_view digits) {
  const auto number = [&](std::size_t at, std::size_t n) {
    int value = 0;
    for (char c : digits.substr(at, n)) value = value * 10 + (c - '0');
    return value;
  };
  const int year = number(0, 4);
  return year >= 1900 && year <= 2099 && DayExists(year, number(4, 2), number(6, 2)) &&
         !IsEmptyRecordDate(year, number(4, 2), number(6, 2));
}

}  // namespace

bool IsCalendarDate(std::string_view candidate) {
  if (candidate.size() == 8 &&
      std::all_of(candidate.begin(), candidate.end(), util::IsAsciiDigit)) {
    return CompactDate(candidate);
  }
  const bool written = std::any_of(candidate.begin(), candidate.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
  const auto tokens = written ? Tokenize(candidate) : SplitNumeric(candidate);
  if (!tokens || tokens->empty()) return false;
  return written ? WrittenDate(*tokens) : NumericDate(*tokens);
}

}  // namespace phiguard::scan
