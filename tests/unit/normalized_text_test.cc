#include "util/normalized_text.h"

#include <gtest/gtest.h>

#include "test_support.h"
#include "util/utf8.h"

namespace phiguard::util {
namespace {

struct FoldCase {
  const char* name;
  std::string original;
  std::string folded;
};

// Each row: what a person might type, and what the patterns see.
const FoldCase kFoldCases[] = {
    {"ascii unchanged", "SSN 219-44-7816", "SSN 219-44-7816"},
    // Unicode dashes
    {"en dash", "219\u201344\u20137816", "219-44-7816"},
    {"minus sign", "219\u221244\u22127816", "219-44-7816"},
    {"fullwidth hyphen", "219\uFF0D44", "219-44"},
    // Digits from other scripts
    {"fullwidth digits", "\uFF12\uFF11\uFF19", "219"},
    {"arabic-indic digits", "\u0662\u0661\u0669", "219"},
    {"extended arabic-indic", "\u06F2\u06F1\u06F9", "219"},
    {"devanagari digits", "\u0968\u0967\u096F", "219"},
    // Invisible characters inside numbers
    {"zero width space", "219\u200B44", "21944"},
    {"soft hyphen", "219\u00AD44", "21944"},
    {"word joiner and BOM", "2\u20601\uFEFF9", "219"},
    // Dots and slashes people put between digit groups
    {"middle dots", "330\u00B7555\u00B70148", "330.555.0148"},
    {"dot operator and one dot leader", "3\u22C514\u202424", "3/14/24"},
    // A middle dot between a month and a day is a date's separator; ASCII dots stay.
    {"middle-dot date", "admitted 3\u00B76 and", "admitted 3/6 and"},
    {"middle-dot date, sentence end", "since 10\u00B702.", "since 10/02."},
    {"middle-dot date with a year", "DOB 4\u00B79\u00B71931", "DOB 4/9/1931"},
    {"ascii decimal stays", "on 2.5 L since 3.6", "on 2.5 L since 3.6"},
    {"middle dot after three digits stays", "100\u00B75 mg", "100.5 mg"},
    {"middle-dot time range stays", "3\u00B714-5", "3.14-5"},
    {"division slash", "3\u221514\u22152024", "3/14/2024"},
    {"fraction slash", "7\u20444", "7/4"},
    // Tabs from spreadsheet cells
    {"tab between groups", "219\t44\t7816", "219 44 7816"},
    {"tab after a dash", "219-44-\t7816", "219-44-7816"},
    // Carets: HL7 and wristband barcode fields
    {"caret field separators", "^MRN^^40771236^^HOLLOWAY^BEATRIX",
     " MRN  40771236  HOLLOWAY BEATRIX"},
    // One line break inside a number (wrapped cells, narrow EHR panes)
    {"break after a dash", "219-44-\n7816", "219-44-7816"},
    {"CRLF after a dash", "219-44-\r\n7816", "219-44-7816"},
    {"break before a dash", "219-44\n-7816", "219-44-7816"},
    {"break after a dot", "412.\n555.0187", "412.555.0187"},
    {"break after a slash", "3/14/\n2024", "3/14/2024"},
    {"break between groups", "219 44\n7816", "219 44 7816"},
    {"break after a colon label", "MRN:\n44820193", "MRN: 44820193"},
    {"CRLF after a hash label", "MR#\r\n5530286", "MR# 5530286"},
    {"break after a label before capitals", "ID:\nKPW6072", "ID: KPW6072"},
    // Line breaks that stay
    {"paragraph inside digits", "219-44-\n\n7816", "219-44-\n\n7816"},
    {"break after a sentence", "Seen today.\n12 visits", "Seen today.\n12 visits"},
    {"break after a label before a word", "Note:\nStable", "Note:\nStable"},
    {"break before a leading dash", "item\n-12", "item\n-12"},
    // Slashes between phone groups read as dashes; dates, ratios and paths keep them
    {"phone slashes", "412/555/0187", "412-555-0187"},
    {"phone slash then dash", "412/555-0187", "412-555-0187"},
    {"phone dot then slash", "412.555/0187", "412.555-0187"},
    {"date slashes", "03/14/2024", "03/14/2024"},
    {"blood pressure", "BP 120/80", "BP 120/80"},
    {"path of digits", "site.org/412/555/0187", "site.org/412/555/0187"},
    {"longer groups", "4123/555/0187", "4123/555/0187"},
    // Bidi marks copied from spreadsheets and EHR screens
    {"left-to-right mark", "219\u200E44\u200E7816", "219447816"},
    {"isolates", "\u2066219-44\u2069", "219-44"},
    // Spaces and quotes
    {"no-break space", "MRN\u00A0123", "MRN 123"},
    {"narrow no-break space", "a\u202Fb", "a b"},
    {"curly apostrophe", "patient\u2019s", "patient's"},
    {"numero sign", "\u2116 5", "# 5"},
    // Latin letters with diacritics, precomposed or decomposed, read as their base letter
    {"accented letters", "Jos\u00E9", "Jose"},
    {"polish name", "Wi\u015Bniewski W\u0142adys\u0142aw", "Wisniewski Wladyslaw"},
    {"vietnamese name", "Nguy\u1EC5n", "Nguyen"},
    {"sharp s and ligature", "Stra\u00DFe \u00C6", "Strase A"},
    {"decomposed accent", "Ine\u0301s", "Ines"},
    {"romanian comma below", "\u0218tefan", "Stefan"},
    // A line typed in capitals reads as names are written; acronyms and mixed case stay
    {"shouted line", "UPDATE: MRS. DELACOURT IN 14 FINALLY POOPED",
     "Update: Mrs. Delacourt in 14 Finally Pooped"},
    {"shouted titles and acronyms", "DR. OKAFOR SAW THE ICU PT WITH MS AT 5TH AVE",
     "Dr. Okafor saw the ICU PT With MS at 5TH AVE"},
    {"only the shouted line", "Shift notes\nCALL MR ABERNATHY'S DAUGHTER TONIGHT",
     "Shift notes\nCall Mr Abernathy's Daughter Tonight"},
    {"a heading is not shouting", "UPDATE: Mrs. Delacourt is home",
     "UPDATE: Mrs. Delacourt is home"},
    {"mostly capitals is not shouting", "ICU and ED and OR and PACU all full today",
     "ICU and ED and OR and PACU all full today"},
    // Left alone
    {"multiplication sign", "3\u00D74", "3\u00D74"},
    {"greek letter", "\u03B1", "\u03B1"},
    {"emoji", "\U0001F600", "\U0001F600"},
};

void PrintTo(const FoldCase& c, std::ostream* os) { *os << c.name; }

class FoldTest : public ::testing::TestWithParam<FoldCase> {};

TEST_P(FoldTest, FoldsToWhatPatternsExpect) {
  const auto& c = GetParam();
  EXPECT_EQ(NormalizedText(c.original).text(), c.folded);
}

INSTANTIATE_TEST_SUITE_P(Normalization, FoldTest, ::testing::ValuesIn(kFoldCases),
                         phiguard::testing::RowName());

// UTF-16 length of a UTF-8 string, the way JavaScript counts.
std::uint32_t Utf16Units(std::string_view s) {
  std::uint32_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto d = DecodeUtf8At(s, i);
    units += Utf16Length(d->code_point);
    i += d->length;
  }
  return units;
}

TEST(Normalization, MapsSpansBackToOriginalUtf16AndBytes) {
  const std::string prefix = "\U0001F600\U0001F600 caf\u00E9 SSN ";
  const std::string original = prefix + "219\u201344\u200B\u20137816 ok";
  const NormalizedText normalized(original);
  const auto at = normalized.text().find("219-44-7816");
  ASSERT_NE(at, std::string::npos);
  const auto span = normalized.ToOriginal(at, at + 11);
  EXPECT_EQ(span.byte_start, prefix.size());
  EXPECT_EQ(span.utf16_start, Utf16Units(prefix));
  // The original spelling is longer (three-byte dashes, a zero-width space): the span
  // covers all of it.
  const std::string typed = "219\u201344\u200B\u20137816";
  EXPECT_EQ(span.byte_end, prefix.size() + typed.size());
  EXPECT_EQ(span.utf16_end, Utf16Units(prefix) + Utf16Units(typed));
}

TEST(Normalization, SpanNeverSplitsSurrogatePairs) {
  const std::string original = "a\U0001F600b";
  const NormalizedText normalized(original);
  // A span over one byte inside the emoji widens to the whole code point: 2 UTF-16 units.
  const auto span = normalized.ToOriginal(2, 3);
  EXPECT_EQ(span.utf16_start, 1u);
  EXPECT_EQ(span.utf16_end, 3u);
}

TEST(Normalization, CombiningMarksAndCrlfKeepTheirUnits) {
  const std::string original = "e\u0301\r\nSSN";
  const NormalizedText normalized(original);
  const auto at = normalized.text().find("SSN");
  const auto span = normalized.ToOriginal(at, at + 3);
  EXPECT_EQ(span.utf16_start, 4u);  // e, U+0301, CR, LF
  EXPECT_EQ(span.utf16_end, 7u);
}

// A dropped break maps to nothing, like a zero-width space: the number's span covers it,
// and every byte after it still maps to the code point it came from.
TEST(Normalization, DroppedBreaksKeepTheMapExact) {
  const std::string original = "SSN 219-44-\r\n7816 \u00E9 x";
  const NormalizedText normalized(original);
  ASSERT_EQ(normalized.text(), "SSN 219-44-7816 e x");  // the e-acute folds to e
  const auto number = normalized.text().find("219");
  const auto span = normalized.ToOriginal(number, number + 11);
  EXPECT_EQ(original.substr(span.byte_start, span.byte_end - span.byte_start), "219-44-\r\n7816");
  EXPECT_EQ(span.utf16_end, 17u);
  const auto x = normalized.text().find('x');
  const auto after = normalized.ToOriginal(x, x + 1);
  EXPECT_EQ(after.byte_start, original.size() - 1);
  EXPECT_EQ(after.utf16_start, 20u);  // one UTF-16 unit for e-acute
}

TEST(Normalization, FoldedLettersMapBackToTheirWholeCharacter) {
  const std::string original = "Mr Wi\u015Bniewski";  // the s-acute is two bytes, one unit
  const NormalizedText normalized(original);
  ASSERT_EQ(normalized.text(), "Mr Wisniewski");
  const auto span = normalized.ToOriginal(3, normalized.text().size());
  EXPECT_EQ(span.byte_start, 3u);
  EXPECT_EQ(span.byte_end, original.size());
  EXPECT_EQ(span.utf16_end, 13u);
}

TEST(Normalization, EmptyTextMapsToZero) {
  const NormalizedText normalized("");
  const auto span = normalized.ToOriginal(0, 0);
  EXPECT_EQ(span.utf16_start, 0u);
  EXPECT_EQ(span.utf16_end, 0u);
}

}  // namespace
}  // namespace phiguard::util
