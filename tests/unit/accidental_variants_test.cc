// Accidental formats (issue #18): identifiers as they arrive when copied out of
// spreadsheets, EHR screens and phones, not as anyone would type them on purpose. Every
// row must be found by the built-in packs, with the finding's span mapped back exactly to
// the identifier in the original text (line breaks, tabs and marks inside it included).
// Adding a variant is adding a row.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "scan/scanner.h"
#include "scan_compare.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

struct Variant {
  const char* name;
  std::string text;
  const char* category;  // the finding expected
  std::string span;      // its exact original text
};

const Variant kVariants[] = {
    // Typed as intended (the baseline every variant departs from)
    {"ssn plain", "SSN 524-71-3308", "ssn", "524-71-3308"},
    {"phone plain", "call her at 412-555-0187 about the biopsy", "phone", "412-555-0187"},
    {"mrn plain", "MRN: 00739154", "mrn", "00739154"},
    {"date plain", "pt admitted 03/14/2024 with sepsis", "date", "03/14/2024"},
    {"plan id plain", "Member ID: KPW607218834", "health_plan", "KPW607218834"},
    // Tabs from spreadsheet cells
    {"ssn tabs between groups", "SSN 524\t71\t3308", "ssn", "524\t71\t3308"},
    {"ssn tab after a dash", "SSN 524-71-\t3308", "ssn", "524-71-\t3308"},
    {"mrn tab after label", "MRN:\t00739154", "mrn", "00739154"},
    {"phone tabs between groups", "call her at 412\t555\t0187 about the biopsy", "phone",
     "412\t555\t0187"},
    // Line breaks inside a number (wrapped cells, narrow EHR panes)
    {"ssn break after a dash", "SSN 524-71-\n3308", "ssn", "524-71-\n3308"},
    {"ssn CRLF after a dash", "SSN 524-71-\r\n3308", "ssn", "524-71-\r\n3308"},
    {"ssn break before a dash", "SSN 524-71\n-3308", "ssn", "524-71\n-3308"},
    {"ssn break between spaced groups", "SSN 524 71\n3308", "ssn", "524 71\n3308"},
    {"phone break after a dash", "call her at 412-555-\n0187 about the biopsy", "phone",
     "412-555-\n0187"},
    {"phone break after the area code", "call her at 412.\n555.0187 about the biopsy", "phone",
     "412.\n555.0187"},
    {"mrn break after label", "MRN:\n00739154", "mrn", "00739154"},
    {"mrn CRLF after label", "MRN:\r\n00739154", "mrn", "00739154"},
    {"mrn break after hash label", "MR#\n5530286", "mrn", "5530286"},
    {"date break after a slash", "pt admitted 03/14/\n2024 with sepsis", "date", "03/14/\n2024"},
    {"plan id break after label", "Member ID:\nKPW607218834", "health_plan", "KPW607218834"},
    // Invisible marks copied with the number
    {"ssn left-to-right marks", "SSN 524\u200E-71\u200E-3308", "ssn", "524\u200E-71\u200E-3308"},
    {"ssn zero width spaces", "SSN 524\u200B-71-\u200B3308", "ssn", "524\u200B-71-\u200B3308"},
    {"phone left-to-right marks", "call her at 412\u200E-555\u200E-0187 about the biopsy", "phone",
     "412\u200E-555\u200E-0187"},
    {"mrn soft hyphen", "MRN: 0073\u00AD9154", "mrn", "0073\u00AD9154"},
    // Look-alike characters from word processors and phones
    {"ssn en dashes", "SSN 524\u201371\u20133308", "ssn", "524\u201371\u20133308"},
    {"ssn no-break spaces", "SSN 524\u00A071\u00A03308", "ssn", "524\u00A071\u00A03308"},
    {"phone fullwidth digits", "call her at \uFF14\uFF11\uFF12-555-0187 about the biopsy", "phone",
     "\uFF14\uFF11\uFF12-555-0187"},
    {"phone middle dots", "call her at 412\u00B7555\u00B70187 about the biopsy", "phone",
     "412\u00B7555\u00B70187"},
    {"date division slashes", "pt admitted 03\u221514\u22152024 with sepsis", "date",
     "03\u221514\u22152024"},
    {"date middle dots", "pt admitted 3\u00B76 with sepsis, still no bed", "date", "3\u00B76"},
    {"date middle dots with a year", "pt DOB 4\u00B79\u00B71931, admitted with sepsis", "date",
     "4\u00B79\u00B71931"},
    // Slashes as phone separators
    {"phone slashes", "call her at 412/555/0187 about the biopsy", "phone", "412/555/0187"},
    {"phone slash then dash", "call her at 412/555-0187 about the biopsy", "phone", "412/555-0187"},
};

void PrintTo(const Variant& v, std::ostream* os) { *os << v.name; }

class AccidentalVariant : public ::testing::TestWithParam<Variant> {};

TEST_P(AccidentalVariant, IsFoundWithItsExactSpan) {
  static const auto rules = testing::BuiltinRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  const auto& v = GetParam();
  const auto output = scanner.Scan(v.text);
  const auto found = std::find_if(output.findings.begin(), output.findings.end(),
                                  [&](const Finding& f) { return f.rule->category == v.category; });
  ASSERT_NE(found, output.findings.end()) << v.name << ": no " << v.category << " finding";
  const auto& at = found->original;
  EXPECT_EQ(v.text.substr(at.byte_start, at.byte_end - at.byte_start), v.span) << v.name;
}

INSTANTIATE_TEST_SUITE_P(Table, AccidentalVariant, ::testing::ValuesIn(kVariants),
                         testing::RowName{});

}  // namespace
}  // namespace phiguard::scan
