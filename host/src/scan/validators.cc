#include "scan/validators.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "scan/checksums.h"
#include "scan/date_validator.h"

namespace phiguard::scan {
namespace {

bool AllSame(std::string_view digits) {
  return !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                        [&](char c) { return c == digits.front(); });
}

int Number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool Ssn(std::string_view candidate) {
  const auto d = DigitsOf(candidate);
  if (d.size() != 9 || AllSame(d)) return false;
  const int area = Number(d.substr(0, 3));
  if (area == 0 || area == 666 || area >= 900) return false;
  if (d.substr(3, 2) == "00" || d.substr(5) == "0000") return false;
  // Numbers published in advertising and textbooks, never issued to a person.
  return d != "078051120" && d != "219099999" && d != "123456789";
}

bool Itin(std::string_view candidate) {
  const auto d = DigitsOf(candidate);
  if (d.size() != 9 || d[0] != '9') return false;
  const int group = Number(d.substr(3, 2));
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) ||
         (group >= 90 && group <= 92) || group >= 94;
}

bool NanpPhone(std::string_view candidate) {
  auto d = DigitsOf(candidate);
  if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
  return NanpValid(d);
}

bool Luhn(std::string_view candidate) {
  const auto d = DigitsOf(candidate);
  return d.size() >= 12 && d.size() <= 19 && !AllSame(d) && LuhnValid(d);
}

bool Npi(std::string_view candidate) {
  const auto d = DigitsOf(candidate);
  if (d.size() != 10 || (d[0] != '1' && d[0] != '2')) return false;
  return LuhnValid("80840" + d);  // the card-issuer prefix for US health identifiers
}

bool Dea(std::string_view candidate) { return DeaValid(AlnumUpperOf(candidate)); }

bool Mbi(std::string_view candidate) {
  const auto s = AlnumUpperOf(candidate);
  if (s.size() != 11) return false;
  // S, L, O, I, B and Z are never used, to avoid confusion with digits.
  const auto letter = [](char c) {
    return c >= 'A' && c <= 'Z' && std::string_view("SLOIBZ").find(c) == std::string_view::npos;
  };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto either = [&](char c) { return letter(c) || digit(c); };
  return s[0] >= '1' && s[0] <= '9' && letter(s[1]) && either(s[2]) && digit(s[3]) &&
         letter(s[4]) && either(s[5]) && digit(s[6]) && letter(s[7]) && letter(s[8]) &&
         digit(s[9]) && digit(s[10]);
}

bool Vin(std::string_view candidate) { return VinValid(AlnumUpperOf(candidate)); }

bool Ipv4(std::string_view candidate) {
  int parts = 0;
  std::size_t i = 0;
  bool all_zero = true;
  while (i <= candidate.size()) {
    std::size_t j = i;
    while (j < candidate.size() && candidate[j] >= '0' && candidate[j] <= '9') ++j;
    const auto part = candidate.substr(i, j - i);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    if (Number(part) > 255) return false;
    all_zero = all_zero && Number(part) == 0;
    ++parts;
    if (j == candidate.size()) break;
    if (candidate[j] != '.') return false;
    i = j + 1;
  }
  return parts == 4 && !all_zero;
}

bool Ipv6(std::string_view candidate) {
  if (candidate.size() < 2 || candidate.size() > 45) return false;
  const auto compressed = candidate.find("::");
  if (compressed != std::string_view::npos &&
      candidate.find("::", compressed + 1) != std::string_view::npos) {
    return false;
  }
  int groups = 0;
  std::size_t i = 0;
  while (i < candidate.size()) {
    if (candidate.compare(i, 2, "::") == 0) {
      i += 2;
      continue;
    }
    if (candidate[i] == ':') {
      if (i == 0) return false;  // a single leading colon
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < candidate.size() && candidate[j] != ':') ++j;
    const auto group = candidate.substr(i, j - i);
    if (group.find('.') != std::string_view::npos) {  // embedded IPv4, last only
      if (j != candidate.size() || !Ipv4(group)) return false;
      groups += 2;
    } else {
      if (group.size() > 4) return false;
      for (char c : group) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
      }
      ++groups;
    }
    i = j;
  }
  if (candidate.back() == ':' && !candidate.ends_with("::")) return false;
  return compressed == std::string_view::npos ? groups == 8 : groups < 8;
}

bool Ip(std::string_view candidate) { return Ipv4(candidate) || Ipv6(candidate); }

bool Aba(std::string_view candidate) { return AbaValid(DigitsOf(candidate)); }
bool Iban(std::string_view candidate) { return IbanValid(AlnumUpperOf(candidate)); }
bool UkNhs(std::string_view candidate) { return NhsValid(DigitsOf(candidate)); }

// ZIP3 areas with 20,000 people or fewer: Safe Harbor says even three digits identify.
bool IsRestrictedZip3(std::string_view d) {
  static constexpr std::array<std::string_view, 17> kRestricted = {
      "036", "059", "102", "203", "205", "369", "556", "692", "790",
      "821", "823", "830", "831", "878", "879", "884", "893"};
  return std::find(kRestricted.begin(), kRestricted.end(), d) != kRestricted.end();
}

bool Zip(std::string_view candidate) {
  const auto d = DigitsOf(candidate);
  if (d.size() == 3) return IsRestrictedZip3(d);
  if (d.size() != 5 && d.size() != 9) return false;
  return d.substr(0, 3) != "000" && !(d.size() == 9 && d.substr(5) == "0000");
}

bool Date(std::string_view candidate) { return IsCalendarDate(candidate); }

// The value of one number word, or -1. "a"/"and" count as 0 ("a hundred and two").
int NumberWordValue(std::string_view word) {
  static constexpr std::array<std::string_view, 20> kSmall = {
      "zero",    "one",     "two",       "three",    "four",     "five",    "six",
      "seven",   "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen",
      "fourteen", "fifteen", "sixteen",  "seventeen", "eighteen", "nineteen"};
  if (word == "a" || word == "and") return 0;
  if (word == "twenty") return 20;
  if (word == "thirty") return 30;
  if (word == "ninety") return 90;
  if (word == "hundred") return 100;
  const auto it = std::find(kSmall.begin(), kSmall.end(), word);
  return it == kSmall.end() ? -1 : static_cast<int>(it - kSmall.begin());
}

// Reads the leading run of number words ("ninety-one", "one hundred and two") as an age.
// "one hundred" is 100, not 101: a unit before "hundred" multiplies.
int AgeInWords(std::string_view lower) {
  int value = 0;
  int pending_unit = 0;
  std::size_t pos = 0;
  while (pos < lower.size()) {
    const std::size_t end = std::min(lower.find_first_of(" -", pos), lower.size());
    const auto word = lower.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    const int part = NumberWordValue(word);
    if (part < 0) break;
    if (part == 100) {
      value += 100 * std::max(pending_unit, 1);
      pending_unit = 0;
    } else if (part > 0 && part < 10 && value == 0 && pending_unit == 0 &&
               lower.find("hundred") != std::string_view::npos) {
      pending_unit = part;
    } else {
      value += part;
    }
  }
  return value + pending_unit;
}

bool AgeOver89(std::string_view candidate) {
  std::string lower(candidate);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("nonagenarian") != std::string::npos ||
      lower.find("centenarian") != std::string::npos) {
    return true;
  }
  // The first number in the candidate is the age ("94 y/o", "aged 101").
  const std::size_t i = lower.find_first_of("0123456789");
  if (i != std::string::npos) {
    std::size_t j = i;
    while (j < lower.size() && std::isdigit(static_cast<unsigned char>(lower[j]))) ++j;
    if (j - i > 3) return false;
    const int age = Number(std::string_view(lower).substr(i, j - i));
    return age >= 90 && age <= 130;
  }
  // Skip leading non-number words ("aged", "age") before reading number words.
  std::string_view rest(lower);
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find_first_of(" -"), rest.size());
    const auto word = rest.substr(0, end);
    if (NumberWordValue(word) > 0) break;
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  const int age = AgeInWords(rest);
  return age >= 90 && age <= 130;
}

struct Entry {
  std::string_view name;
  Validator validator;
};

constexpr std::array<Entry, 17> kValidators = {{
    {"ssn", Ssn},
    {"itin", Itin},
    {"nanp_phone", NanpPhone},
    {"luhn", Luhn},
    {"npi", Npi},
    {"dea", Dea},
    {"mbi", Mbi},
    {"vin", Vin},
    {"date", Date},
    {"ipv4", Ipv4},
    {"ipv6", Ipv6},
    {"ip", Ip},
    {"aba_routing", Aba},
    {"iban", Iban},
    {"uk_nhs", UkNhs},
    {"zip", Zip},
    {"age_over_89", AgeOver89},
}};

}  // namespace

Validator FindValidator(std::string_view name) {
  for (const auto& entry : kValidators) {
    if (entry.name == name) return entry.validator;
  }
  return nullptr;
}

std::vector<std::string_view> ValidatorNames() {
  std::vector<std::string_view> names;
  for (const auto& entry : kValidators) names.push_back(entry.name);
  return names;
}

}  // namespace phiguard::scan
