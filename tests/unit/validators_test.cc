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
    {"ssn", "000-12-3456", false},
    {"ssn", "666-12-3456", false},
    {"ssn", "912-44-7816", false},
    {"ssn", "219-00-7816", false},
    {"ssn", "219-44-0000", false},
    {"ssn", "078-05-1120", false},
    {"ssn", "123-45-6789", false},
    {"ssn", "111-11-1111", false},
    {"ssn", "219-44-781", false},
    // ITIN
    {"itin", "912-70-1234", true},
    {"itin", "900-93-1234", false},
    {"itin", "812-70-1234", false},
    // NANP phones
    {"nanp_phone", "(617) 555-0142", true},
    {"nanp_phone", "+1 617 555 0142", true},
    {"nanp_phone", "617.555.0142", true},
    {"nanp_phone", "(117) 555-0142", false},  // area code starts with 1
    {"nanp_phone", "(911) 555-0142", false},  // N11 area code
    {"nanp_phone", "(617) 155-0142", false},  // exchange starts with 1
    {"nanp_phone", "(294) 555-0133", false},  // N9X area codes are reserved
    {"nanp_phone", "(617) 411-0142", false},  // N11 exchange
    {"nanp_phone", "555-0142", false},
    // Luhn (cards)
    {"luhn", "4111 1111 1111 1111", true},
    {"luhn", "4242-4242-4242-4242", true},
    {"luhn", "4111 1111 1111 1112", false},
    {"luhn", "0000 0000 0000 0000", false},
    {"luhn", "12345", false},
    // NPI: Luhn with the 80840 prefix
    {"npi", "1234567893", true},
    {"npi", "2123456784", true},
    {"npi", "1234567890", false},
    {"npi", "3234567893", false},
    // DEA
    {"dea", "AB1234563", true},
    {"dea", "FS7654329", true},
    {"dea", "M91111119", true},
    {"dea", "AB1234564", false},
    {"dea", "ZB1234563", false},  // Z is not a registrant type
    {"dea", "AB12345", false},
    // MBI character rules
    {"mbi", "1EG4-TE5-MK73", true},
    {"mbi", "1EG4TE5MK73", true},
    {"mbi", "0EG4TE5MK73", false},  // first character 1-9
    {"mbi", "1SG4TE5MK73", false},  // S is never used
    {"mbi", "1EG4TE5MK7", false},
    {"mbi", "1E94TE5MK73", true},   // position 3 may be a digit
    {"mbi", "1EGATE5MK73", false},  // position 4 must be a digit
    // VIN check digit
    {"vin", "1HGCM826X33A00435", true},
    {"vin", "5YJSA1E286MF12345", true},
    {"vin", "1HGCM826333A00435", false},
    {"vin", "1HGCM826X33A0043", false},
    {"vin", "1HGCM826X33A0043O", false},  // O never appears
    // Dates
    {"date", "3/14/2024", true},
    {"date", "03-14-24", true},
    {"date", "2024-03-14", true},
    {"date", "14.03.2024", true},
    {"date", "7/4", true},
    {"date", "2/29/2024", true},
    {"date", "2/29/2023", false},
    {"date", "2/30", false},
    {"date", "13/13/2024", false},
    {"date", "0/0", false},
    {"date", "3/14/1850", false},
    {"date", "March 3, 2021", true},
    {"date", "3 March 2021", true},
    {"date", "Mar 3rd", true},
    {"date", "Sept 31", false},
    {"date", "March 2024", true},
    {"date", "the 4th of July", true},
    {"date", "Marching 3", false},
    {"date", "19620314", true},
    {"date", "19621314", false},
    // IP addresses
    {"ipv4", "192.0.2.44", true},
    {"ipv4", "10.0.0.1", true},
    {"ipv4", "256.1.1.1", false},
    {"ipv4", "01.2.3.4", false},
    {"ipv4", "0.0.0.0", false},
    {"ipv4", "1.2.3", false},
    {"ipv6", "2001:db8::1", true},
    {"ipv6", "2001:0db8:0000:0000:0000:ff00:0042:8329", true},
    {"ipv6", "::ffff:192.0.2.1", true},
    {"ipv6", "2001:db8::1::2", false},
    {"ipv6", "2001:db8:1", false},
    {"ipv6", "12345::1", false},
    {"ip", "192.0.2.44", true},
    {"ip", "2001:db8::1", true},
    {"ip", "clinic.today", false},
    // Banking
    {"aba_routing", "121000358", true},
    {"aba_routing", "021000021", true},
    {"aba_routing", "121000359", false},
    {"aba_routing", "991000358", false},
    {"iban", "GB82 WEST 1234 5698 7654 32", true},
    {"iban", "DE89370400440532013000", true},
    {"iban", "GB83WEST12345698765432", false},
    // NHS numbers
    {"uk_nhs", "943 476 5919", true},
    {"uk_nhs", "4010232137", true},
    {"uk_nhs", "9434765918", false},
    // ZIP codes
    {"zip", "02134", true},
    {"zip", "02134-1020", true},
    {"zip", "00012", false},
    {"zip", "0213", false},
    {"zip", "036", true},   // a restricted three-digit ZIP area
    {"zip", "606", false},
    // Ages over 89
    {"age_over_89", "94 y/o", true},
    {"age_over_89", "aged 101", true},
    {"age_over_89", "89 yo", false},
    {"age_over_89", "45-year-old", false},
    {"age_over_89", "ninety-one", true},
    {"age_over_89", "ninety one year old", true},
    {"age_over_89", "a hundred and two", true},
    {"age_over_89", "one hundred", true},
    {"age_over_89", "eighty-nine", false},
    {"age_over_89", "centenarian", true},
    {"age_over_89", "nonagenarian", true},
    {"age_over_89", "1000 years", false},
};

TEST(Validators, RowsMatchExpectation) {
  for (const auto& row : kRows) {
    const Validator validator = FindValidator(row.validator);
    ASSERT_NE(validator, nullptr) << row.validator;
    EXPECT_EQ(validator(row.candidate), row.valid) << row.validator << "(\"" << row.candidate
                                                   << "\")";
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
