#include "scan/validators.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace phiguard::scan {
namespace {

struct Row {
  const char* validator;
  const char* candidate;
  bool valid;
};

// Each row: a validator, what a pattern handed it (normalised text), and the answer.
const Row kRows[] = {
    // SSN: structure, invalid areas, groups and serials, published fakes
    {"ssn", "219-44-7816", true},
    {"ssn", "508 31 2297", true},
    {"ssn", "471093358", true},
    {"ssn", "899-44-7816", true},  // highest area in use since randomisation (2011)
    {"ssn", "000-12-3456", false},
    {"ssn", "666-12-3456", false},
    {"ssn", "900-44-7816", false},  // 900-999 are never SSNs (ITINs live there)
    {"ssn", "912-44-7816", false},
    {"ssn", "219-00-7816", false},
    {"ssn", "219-44-0000", false},
    {"ssn", "078-05-1120", false},  // the Woolworth wallet card
    {"ssn", "219-09-9999", false},  // printed in a 1940s Social Security pamphlet
    {"ssn", "123-45-6789", false},
    {"ssn", "111-11-1111", false},
    {"ssn", "219-44-781", false},
    // ITIN: 9XX, group 50-65, 70-88, 90-92 or 94-99
    {"itin", "912-70-1234", true},
    {"itin", "943-50-8812", true},
    {"itin", "987 65 4321", true},
    {"itin", "900921234", true},
    {"itin", "900-99-1234", true},
    {"itin", "900-93-1234", false},  // 93 is not an ITIN group
    {"itin", "900-89-1234", false},
    {"itin", "900-66-1234", false},
    {"itin", "900-49-1234", false},
    {"itin", "812-70-1234", false},  // must start with 9
    {"itin", "912-70-123", false},
    // NANP phones: NXX area code and exchange, not N11; 555-01XX fiction range accepted
    {"nanp_phone", "(617) 555-0142", true},
    {"nanp_phone", "+1 617 555 0142", true},
    {"nanp_phone", "617.555.0142", true},
    {"nanp_phone", "1-203-555-0177", true},
    {"nanp_phone", "2035550177", true},
    {"nanp_phone", "(117) 555-0142", false},  // area code starts with 1
    {"nanp_phone", "(017) 555-0142", false},  // area code starts with 0
    {"nanp_phone", "(911) 555-0142", false},  // N11 area code
    {"nanp_phone", "(617) 155-0142", false},  // exchange starts with 1
    {"nanp_phone", "(294) 555-0133", false},  // N9X area codes are reserved
    {"nanp_phone", "(617) 411-0142", false},  // N11 exchange
    {"nanp_phone", "555-0142", false},
    {"nanp_phone", "1-800-555-0199", false},  // toll-free: an organisation's line
    {"nanp_phone", "(888) 555-0142", false},
    {"nanp_phone", "(808) 555-0177", true},  // Hawaii, not toll-free
    {"nanp_phone", "(812) 555-0142", true},
    {"nanp_phone", "2-617-555-0142", false},  // 11 digits must start with 1
    // Luhn (cards): 12-19 digits
    {"luhn", "4532 0174 8823 9107", true},
    {"luhn", "4532-0174-8823-9107", true},
    {"luhn", "3791 446822 00315", true},     // 15-digit Amex layout
    {"luhn", "6011550934187", true},         // 13 digits
    {"luhn", "6222000000000000004", true},   // 19 digits
    {"luhn", "4532 0174 8823 9108", false},  // check digit off by one
    {"luhn", "0000 0000 0000 0000", false},  // passes the sum but is no card
    {"luhn", "4111 1111 1111 1111", false},  // one digit over and over: a test card
    {"luhn", "4242-4242-4242-4242", false},  // published by processors for testing
    {"luhn", "3782 822463 10005", false},    // the networks' Amex test number
    {"luhn", "5555 5555 5555 4444", false},
    {"luhn", "12345", false},
    {"luhn", "62220000000000000040", false},  // 20 digits
    // NPI: 10 digits starting 1 or 2, Luhn with the 80840 prefix
    {"npi", "1234567893", true},
    {"npi", "2123456784", true},
    {"npi", "1748392010", true},
    {"npi", "2983746506", true},
    {"npi", "1234567890", false},
    {"npi", "1748392011", false},
    {"npi", "3234567893", false},  // first digit must be 1 or 2
    {"npi", "123456789", false},
    // DEA: registrant type, second letter or 9, check digit
    {"dea", "AB1234563", true},
    {"dea", "FS7654329", true},
    {"dea", "M91111119", true},  // 9 as second character (no surname initial)
    {"dea", "BJ6394718", true},
    {"dea", "bj6394718", true},  // case as typed
    {"dea", "AB1234564", false},
    {"dea", "ZB1234563", false},  // Z is not a registrant type
    {"dea", "IB1234563", false},  // nor is I
    {"dea", "A81234563", false},  // second character is a letter or 9
    {"dea", "AB12345", false},
    // MBI character rules
    {"mbi", "1EG4-TE5-MK73", true},
    {"mbi", "1EG4TE5MK73", true},
    {"mbi", "1eg4 te5 mk73", true},  // case-insensitive
    {"mbi", "1E94TE5MK73", true},    // position 3 may be a digit
    {"mbi", "0EG4TE5MK73", false},   // first character 1-9
    {"mbi", "1SG4TE5MK73", false},   // S is never used
    {"mbi", "1EG4TE5MZ73", false},   // nor Z
    {"mbi", "1EGATE5MK73", false},   // position 4 must be a digit
    {"mbi", "1EG4TE5MK7", false},
    // VIN: check digit at position 9, no I, O or Q
    {"vin", "1HGCM826X33A00435", true},
    {"vin", "5YJSA1E286MF12345", true},
    {"vin", "1FTFW1ET9DFC10312", true},
    {"vin", "2t1burhexjc043821", true},  // X check digit, typed in lower case
    {"vin", "1HGCM826333A00435", false},
    {"vin", "1FTFW1ET8DFC10312", false},
    {"vin", "1HGCM826X33A0043", false},
    {"vin", "1HGCM826X33A0043O", false},  // O never appears
    // Dates: numeric forms
    {"date", "3/14/2024", true},
    {"date", "03-14-24", true},
    {"date", "2024-03-14", true},
    {"date", "14.03.2024", true},
    {"date", "7/4", true},
    {"date", "01/01/1900", false},  // a record system's empty date, a test patient's DOB
    {"date", "1900-01-01", false},
    {"date", "19000101", false},
    {"date", "01/02/1900", true},
    {"date", "2/29", true},   // no year: February 29 exists
    {"date", "10/10", true},  // a real day; that it may be a score is context's call
    {"date", "2/29/2024", true},
    {"date", "2/29/2000", true},   // divisible by 400: leap
    {"date", "2/29/1900", false},  // divisible by 100: not leap
    {"date", "2/29/2023", false},
    {"date", "2/30", false},
    {"date", "13/1", false},
    {"date", "13/13/2024", false},
    {"date", "00/12/1990", false},
    {"date", "0/0", false},
    {"date", "3/14/1850", false},  // four-digit years 1900-2099
    {"date", "2024-13-01", false},
    {"date", "19620314", true},
    {"date", "19621314", false},
    // Dates: written forms
    {"date", "March 3, 2021", true},
    {"date", "3 March 2021", true},
    {"date", "14-Mar-2024", true},
    {"date", "Mar 3rd", true},
    {"date", "Jan. 5", true},
    {"date", "the 4th of July", true},
    {"date", "March 2024", true},  // month and year
    {"date", "Sept 31", false},
    {"date", "Feb 29, 2023", false},
    {"date", "March", false},  // a month alone is not a date
    {"date", "Marching 3", false},
    // Dates: the day as an ordinal word, as phones and dictation write it
    {"date", "the fifth of June", true},
    {"date", "the twenty-eighth of February", true},
    {"date", "the thirty first of March", true},
    {"date", "the Twelfth of May 2023", true},
    {"date", "the thirty-first of April", false},  // April has 30 days
    {"date", "the twenty of June", false},
    {"date", "the fifth", false},  // no month
    // IPv4
    {"ipv4", "192.0.2.44", true},
    {"ipv4", "10.0.0.1", true},
    {"ipv4", "203.0.113.0", true},
    {"ipv4", "256.1.1.1", false},
    {"ipv4", "01.2.3.4", false},  // leading zero
    {"ipv4", "0.0.0.0", false},
    {"ipv4", "1.2.3", false},
    {"ipv4", "1.2.3.4.5", false},
    {"ipv4", "1.2.3.", false},
    // IPv6 (RFC 4291 text forms)
    {"ipv6", "2001:db8::1", true},
    {"ipv6", "2001:0db8:0000:0000:0000:ff00:0042:8329", true},
    {"ipv6", "2001:DB8:4A7F::21", true},
    {"ipv6", "::ffff:192.0.2.1", true},
    {"ipv6", "64:ff9b:0:0:0:0:192.0.2.33", true},
    {"ipv6", "::1", true},
    {"ipv6", "2001:db8::", true},
    {"ipv6", "2001:db8::1::2", false},  // two '::'
    {"ipv6", "2001:db8:1", false},      // too few groups without '::'
    {"ipv6", "1:2:3:4:5:6:7:8:9", false},
    {"ipv6", "1:2:3:4::5:6:7:8", false},  // '::' must stand for at least one group
    {"ipv6", "12345::1", false},
    {"ipv6", ":1:2:3:4:5:6:7", false},  // lone leading colon
    {"ipv6", "2001:db8::g1", false},
    {"ipv6", "::192.0.2.1:1", false},  // IPv4 only at the end
    // IP: either family
    {"ip", "192.0.2.44", true},
    {"ip", "198.51.100.204", true},
    {"ip", "2001:db8::1", true},
    {"ip", "2001:db8:4a7f::21", true},
    {"ip", "clinic.today", false},
    {"ip", "300.1.2.3", false},
    {"ip", "2001:db8::1::2", false},
    // ABA routing: 3-7-1 checksum and Federal Reserve prefix
    {"aba_routing", "121000358", true},
    {"aba_routing", "021000021", true},
    {"aba_routing", "322271588", true},
    {"aba_routing", "611000017", true},
    {"aba_routing", "801234567", true},  // 80: traveller's cheques
    {"aba_routing", "121000359", false},
    {"aba_routing", "991000358", false},
    {"aba_routing", "131000351", false},  // checksum fine, prefix 13 unused
    {"aba_routing", "000000000", false},
    {"aba_routing", "12100035", false},
    // IBAN: country, check digits, mod 97
    {"iban", "GB82 WEST 1234 5698 7654 32", true},
    {"iban", "DE89370400440532013000", true},
    {"iban", "NO9386011117947", true},  // 15 characters, the shortest
    {"iban", "fr14 2004 1010 0505 0001 3m02 606", true},
    {"iban", "GB83WEST12345698765432", false},
    {"iban", "NO938601111794", false},  // 14 characters
    {"iban", "9B82WEST12345698765432", false},
    {"iban", "GBX2WEST12345698765432", false},
    // Mod 97 holds, but the length is not the country's (DE: 22) or the country has none.
    {"iban", "DE543704004405320130001", false},
    {"iban", "DE5137040044053201300", false},
    {"iban", "ZZ22370400440532013000", false},
    // NHS numbers: mod 11, weights 10..2
    {"uk_nhs", "943 476 5919", true},
    {"uk_nhs", "4010232137", true},
    {"uk_nhs", "450-123-4660", true},  // remainder 11 gives check digit 0
    {"uk_nhs", "9434765918", false},
    {"uk_nhs", "1234567890", false},  // remainder 10: no valid check digit
    {"uk_nhs", "1234567891", false},
    {"uk_nhs", "943476591", false},
    // ZIP codes
    {"zip", "02134", true},
    {"zip", "02134-1020", true},
    {"zip", "60614", true},
    {"zip", "00501", true},  // the lowest ZIP in use
    {"zip", "036", true},    // a restricted three-digit ZIP area
    {"zip", "890", true},
    {"zip", "00000", false},
    {"zip", "00012", false},
    {"zip", "00412", false},  // prefixes below 005 are unassigned
    {"zip", "02134-0000", false},
    {"zip", "0213", false},
    {"zip", "606", false},  // a ZIP3 of more than 20,000 people may be shared
    // Made-up record numbers
    {"not_placeholder", "20581134", true},
    {"not_placeholder", "MR-1204", true},
    {"not_placeholder", "0000000", false},
    {"not_placeholder", "9999-9999", false},
    {"not_placeholder", "1234567", false},
    {"not_placeholder", "7654321", false},
    {"not_placeholder", "8901234", false},  // counting on past 9
    {"not_placeholder", "12345678 9", false},
    {"not_placeholder", "00000001", false},   // a training system's first test patient
    {"not_placeholder", "900000007", false},  // one digit between two markers
    {"not_placeholder", "1000000", false},
    {"not_placeholder", "100001", true},    // six digits: only one may differ
    {"not_placeholder", "10000045", true},  // three digits off the common one
    {"not_placeholder", "1000045", true},
    {"not_placeholder", "TEST0001", false},  // a training system's own word for it
    {"not_placeholder", "ABC000000000", false},
    {"not_placeholder", "demo-4417", false},
    {"not_placeholder", "BPH-993017742", true},
    {"not_placeholder", "123", true},  // too short to tell
    // Ages over 89
    {"age_over_89", "94 y/o", true},
    {"age_over_89", "aged 101", true},
    {"age_over_89", "90-year-old", true},
    {"age_over_89", "late 90s", true},
    {"age_over_89", "130 years old", true},
    {"age_over_89", "89 yo", false},
    {"age_over_89", "45-year-old", false},
    {"age_over_89", "131 years old", false},
    {"age_over_89", "1000 years", false},
    {"age_over_89", "born 1929", false},  // a birth year is not an age here
    // A long run of digits is no age and must not overflow (fuzz.pack_loader found it).
    {"age_over_89", "4805550159999999999 years", false},
    {"age_over_89", "99999999999999999999, aged 94", true},
    {"age_over_89", "ninety-one", true},
    {"age_over_89", "Ninety one year old", true},
    {"age_over_89", "a hundred and two", true},
    {"age_over_89", "one hundred", true},
    {"age_over_89", "one hundred thirty", true},
    {"age_over_89", "hundred-year-old", true},
    {"age_over_89", "eighty-nine", false},
    {"age_over_89", "one hundred thirty-one", false},
    {"age_over_89", "two hundred", false},
    {"age_over_89", "centenarian", true},
    {"age_over_89", "supercentenarian", true},
    {"age_over_89", "nonagenarian", true},
    {"age_over_89", "octogenarian", false},
    // Former bugs
    {"age_over_89", "a hundred fifty", false},      // "fifty" was not a number word: read as 100
    {"age_over_89", "in her late nineties", true},  // "nineties" was not read at all
    {"date", "10:30", false},                       // a clock time passed as October 30
    {"date", "3.14", false},                        // a decimal passed as March 14
    {"date", "3-14", false},                        // a range passed as March 14
    {"date", "3/14-2024", false},                   // mixed separators were accepted
    {"zip", "063", true},                           // the ZIP3 list missed 063 and 890 ...
    {"zip", "205", false},                          // ... and held 205 and 369, not in HHS's list
    {"zip", "369", false},
};

TEST(Validators, RowsMatchExpectation) {
  for (const auto& row : kRows) {
    const Validator validator = FindValidator(row.validator);
    ASSERT_NE(validator, nullptr) << row.validator;
    EXPECT_EQ(validator(row.candidate), row.valid)
        << row.validator << "(\"" << row.candidate << "\")";
  }
}

TEST(Validators, UnknownNamesHaveNoValidator) {
  EXPECT_EQ(FindValidator("none"), nullptr);
  EXPECT_EQ(FindValidator(""), nullptr);
  EXPECT_EQ(FindValidator("SSN"), nullptr);  // names are exact
}

TEST(Validators, EveryRegisteredNameIsCoveredByTheTable) {
  std::set<std::string> tested;
  for (const auto& row : kRows) tested.insert(row.validator);
  for (auto name : ValidatorNames()) {
    EXPECT_NE(FindValidator(name), nullptr) << name;
    EXPECT_TRUE(tested.contains(std::string(name))) << name << " has no rows";
  }
}

}  // namespace
}  // namespace phiguard::scan
