#include "scan/checksums.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

int DigitAt(std::string_view text, std::size_t i) { return text[i] - '0'; }

}  // namespace

std::string DigitsOf(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits;
}

std::string AlnumUpperOf(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) out.push_back(static_cast<char>(std::toupper(u)));
  }
  return out;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (std::size_t i = digits.size(); i-- > 0;) {
    int d = DigitAt(digits, i);
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool NanpValid(std::string_view d) {
  if (d.size() != 10) return false;
  // Area code and exchange: NXX with N in 2..9, and not N11 (service codes like 911).
  const auto nxx_ok = [&](std::size_t at) {
    return DigitAt(d, at) >= 2 && !(d[at + 1] == '1' && d[at + 2] == '1');
  };
  // Area codes with 9 in the middle (N9X) are reserved for expansion and never assigned.
  return nxx_ok(0) && nxx_ok(3) && d[1] != '9';
}

std::size_t IbanLength(std::string_view country) {
  // The SWIFT IBAN registry: each country's IBANs have one fixed length.
  struct CountryLength {
    std::string_view countries;
    std::size_t length;
  };
  static constexpr std::array<CountryLength, 18> kLengths{{
      {"NO", 15},
      {"BE", 16},
      {"DK FI FK FO GL NL SD", 18},
      {"MK SI", 19},
      {"AT BA EE KZ LT LU MN XK", 20},
      {"CH HR LI LV", 21},
      {"BG BH CR DE GB GE IE ME RS VA", 22},
      {"AE GI IL IQ OM SO TL", 23},
      {"AD CZ ES MD PK RO SA SE SK TN VG", 24},
      {"LY PT ST", 25},
      {"IS TR", 26},
      {"BI DJ FR GR IT MC MR SM", 27},
      {"AL AZ BY CY DO GT HU LB NI PL SV", 28},
      {"BR EG PS QA UA", 29},
      {"JO KW MU", 30},
      {"MT SC", 31},
      {"LC", 32},
      {"RU", 33},
  }};
  if (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
      !std::isupper(static_cast<unsigned char>(country[1]))) {
    return 0;
  }
  for (const auto& row : kLengths) {
    for (std::size_t i = 0; i + 2 <= row.countries.size(); i += 3) {
      if (row.countries.substr(i, 2) == country) return row.length;
    }
  }
  return 0;
}

bool IbanValid(std::string_view s) {
  if (s.size() < 4 || !util::IsAsciiDigit(s[2]) || !util::IsAsciiDigit(s[3])) {
    return false;
  }
  // Exactly as long as its country says: a prefix of a longer run, or a run of the wrong
  // length, passes mod 97 by chance once in 97.
  if (s.size() != IbanLength(s.substr(0, 2))) return false;
  const std::string rearranged = std::string(s.substr(4)) + std::string(s.substr(0, 4));
  int remainder = 0;
  for (char c : rearranged) {
    const int value = util::IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder == 1;
}

bool AbaValid(std::string_view d) {
  if (d.size() != 9) return false;
  const int prefix = DigitAt(d, 0) * 10 + DigitAt(d, 1);
  const bool prefix_ok = prefix <= 12 || (prefix >= 21 && prefix <= 32) ||
                         (prefix >= 61 && prefix <= 72) || prefix == 80;
  if (!prefix_ok || d == "000000000") return false;
  static constexpr std::array<int, 3> kWeights = {3, 7, 1};
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) sum += DigitAt(d, i) * kWeights[i % 3];
  return sum % 10 == 0;
}

bool NhsValid(std::string_view d) {
  if (d.size() != 10) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) sum += DigitAt(d, i) * static_cast<int>(10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == DigitAt(d, 9);
}

bool VinValid(std::string_view s) {
  if (s.size() != 17) return false;
  static constexpr std::array<int, 17> kWeights = {8, 7, 6, 5, 4, 3, 2, 10, 0,
                                                   9, 8, 7, 6, 5, 4, 3, 2};
  // Letters map to 1..9 by groups; I, O and Q never appear in a VIN.
  static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";
  static constexpr std::array<int, 23> kValues = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
                                                  5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9};
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const char c = s[i];
    int value = 0;
    if (c >= '0' && c <= '9') {
      value = c - '0';
    } else {
      const auto at = kLetters.find(c);
      if (at == std::string_view::npos) return false;
      value = kValues[at];
    }
    sum += value * kWeights[i];
  }
  const int remainder = sum % 11;
  const char expected = remainder == 10 ? 'X' : static_cast<char>('0' + remainder);
  return s[8] == expected;
}

bool DeaValid(std::string_view s) {
  if (s.size() != 9) return false;
  static constexpr std::string_view kRegistrantTypes = "ABCDEFGHJKLMPRSTUX";
  if (kRegistrantTypes.find(s[0]) == std::string_view::npos) return false;
  if (!((s[1] >= 'A' && s[1] <= 'Z') || s[1] == '9')) return false;
  for (std::size_t i = 2; i < 9; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const auto d = [&](std::size_t n) { return s[1 + n] - '0'; };  // d(1)..d(7)
  const int sum = d(1) + d(3) + d(5) + 2 * (d(2) + d(4) + d(6));
  return sum % 10 == d(7);
}

}  // namespace phiguard::scan
