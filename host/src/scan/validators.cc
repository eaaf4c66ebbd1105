#include "scan/validators.h"

#include <algorithm>
#include <array>
#include <string>

#include "scan/age_validator.h"
#include "scan/checksums.h"
#include "scan/date_validator.h"
#include "scan/ip_validator.h"
#include "util/ascii.h"

namespace phiguard::scan {
namespace {

bool AllSame(std::string_view digits) {
  return !digits.empty() &&
         std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits.front(); });
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

// Toll-free area codes (800, 833, 844, 855, 866, 877, 888, and 822 when it opens) are
// organisations' lines: a patient or a relative is never reached on one.
bool IsTollFree(std::string_view ten_digits) {
  return ten_digits.size() == 10 && ten_digits[0] == '8' && ten_digits[1] == ten_digits[2] &&
         (ten_digits[1] == '0' || ten_digits[1] >= '2');
}

bool NanpPhone(std::string_view candidate) {
  auto d = DigitsOf(candidate);
  if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
  return NanpValid(d) && !IsTollFree(d);
}

// How many digits of `digits` are not its most common digit.
std::size_t DigitsOffTheCommonOne(std::string_view digits) {
  std::array<std::size_t, 10> counts{};
  for (char c : digits) ++counts[static_cast<std::size_t>(c - '0')];
  return digits.size() - *std::max_element(counts.begin(), counts.end());
}

// Card numbers the payment networks and processors publish for testing checkout forms:
// they pass Luhn and are in every developer's paste, never on a patient's card.
bool IsPublishedTestCard(std::string_view d) {
  static constexpr std::array<std::string_view, 16> kTestCards = {
      "4111111111111111", "4012888888881881", "4222222222222",    "4242424242424242",
      "4000056655665556", "5555555555554444", "5105105105105100", "2223003122003222",
      "378282246310005",  "371449635398431",  "378734493671000",  "6011111111111117",
      "6011000990139424", "30569309025904",   "38520000023237",   "3530111333300000"};
  return std::find(kTestCards.begin(), kTestCards.end(), d) != kTestCards.end();
}

bool Luhn(std::string_view candidate) {
  const auto d = DigitsOf(candidate);
  return d.size() >= 12 && d.size() <= 19 && DigitsOffTheCommonOne(d) > 1 &&
         !IsPublishedTestCard(d) && LuhnValid(d);
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

bool Ipv4(std::string_view candidate) { return IsIpv4Address(candidate); }
bool Ipv6(std::string_view candidate) { return IsIpv6Address(candidate); }
bool Ip(std::string_view candidate) { return Ipv4(candidate) || Ipv6(candidate); }

bool Aba(std::string_view candidate) { return AbaValid(DigitsOf(candidate)); }
bool Iban(std::string_view candidate) { return IbanValid(AlnumUpperOf(candidate)); }
bool UkNhs(std::string_view candidate) { return NhsValid(DigitsOf(candidate)); }

// ZIP3 areas of 20,000 people or fewer, which Safe Harbor says must become 000: the 17
// prefixes in HHS's de-identification guidance (2012, from the 2000 Census), section 3.3.
bool IsRestrictedZip3(std::string_view d) {
  static constexpr std::array<std::string_view, 17> kRestricted = {
      "036", "059", "063", "102", "203", "556", "692", "790", "821",
      "823", "830", "831", "878", "879", "884", "890", "893"};
  return std::find(kRestricted.begin(), kRestricted.end(), d) != kRestricted.end();
}

// The lowest ZIP in use is 00501 (Holtsville, NY), so prefixes 000-004 name nowhere. Other
// unused prefixes are not listed: USPS assigns new ones, and rejecting a real ZIP would
// hide PHI, while accepting an unused one only costs a warning.
bool IsAssignedZip3(std::string_view d) { return d > "004"; }

bool Zip(std::string_view candidate) {
  const auto d = DigitsOf(candidate);
  if (d.size() == 3) return IsRestrictedZip3(d);
  if (d.size() != 5 && d.size() != 9) return false;
  // A ZIP+4 add-on of 0000 is never assigned; it is a placeholder.
  return IsAssignedZip3(d.substr(0, 3)) && !(d.size() == 9 && d.substr(5) == "0000");
}

// Record numbers people make up for teaching, simulations and forms: one digit over and
// over ("0000000", "MRN 9999999"), a counting run ("1234567", "7654321"), or one digit with
// a marker at an end ("00000001", "900000007": a training system's first test patient). No
// issuer assigns these to a patient, and a sim-lab post full of them is not about anyone.
// A random 8-digit number has one digit six times or more about once in 4,000.
bool NotPlaceholder(std::string_view candidate) {
  // A training system's or a form's own word for it: TEST0001, demo-1234, SAMPLE12345. Read
  // in place, case-insensitively: this runs on every record-number candidate of a scan.
  const auto same_letter = [](char a, char b) { return util::LowerAscii(a) == b; };
  for (std::string_view word : {"test", "demo", "sample", "dummy", "fake", "xxxx"}) {
    if (std::search(candidate.begin(), candidate.end(), word.begin(), word.end(), same_letter) !=
        candidate.end()) {
      return false;
    }
  }
  const auto d = DigitsOf(candidate);
  if (d.size() < 4) return true;
  if (d.size() >= 6 && DigitsOffTheCommonOne(d) <= (d.size() >= 8 ? 2U : 1U)) return false;
  bool same = true;
  bool up = true;
  bool down = true;
  for (std::size_t i = 1; i < d.size(); ++i) {
    same = same && d[i] == d[0];
    up = up && d[i] == static_cast<char>('0' + (d[i - 1] - '0' + 1) % 10);
    down = down && d[i] == static_cast<char>('0' + (d[i - 1] - '0' + 9) % 10);
  }
  return !same && !up && !down;
}

bool Date(std::string_view candidate) { return IsCalendarDate(candidate); }
bool AgeOver89(std::string_view candidate) { return IsAgeOver89(candidate); }

struct Entry {
  std::string_view name;
  Validator validator;
};

constexpr std::array<Entry, 18> kValidators = {{
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
    {"not_placeholder", NotPlaceholder},
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
  names.reserve(kValidators.size());
  for (const auto& entry : kValidators) names.push_back(entry.name);
  return names;
}

}  // namespace phiguard::scan
