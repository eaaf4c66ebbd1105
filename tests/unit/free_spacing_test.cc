#include "rules/free_spacing.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace phiguard::rules {
namespace {

struct StripCase {
  const char* name;
  std::string pattern;
  std::string expected;
};

const StripCase kStripCases[] = {
    // Without the marker nothing changes, spaces and '#' included.
    {"no marker", "my patient #1", "my patient #1"},
    {"marker not at the start", "a(?x) b", "a(?x) b"},
    {"empty after marker", "(?x)", ""},
    // Spacing and comments go.
    {"spaces tabs newlines", "(?x) a \t b\n c\r\n", "abc"},
    {"comment to end of line", "(?x)a # the letter a\nb", "ab"},
    {"comment at the end", "(?x)a # no newline after", "a"},
    {"comment holding brackets", "(?x)a # [ not a class\nb", "ab"},
    {"spacing around quantifier", "(?x)\\d {2,4} x", "\\d{2,4}x"},
    // Escapes keep the byte after them; an escaped space or '#' becomes a plain one.
    {"escaped space", "(?x)my\\ patient", "my patient"},
    {"escaped hash", "(?x)room\\#\\d", "room#\\d"},
    {"escaped backslash then space", "(?x)a\\\\ b", "a\\\\b"},
    {"other escapes kept", "(?x)\\d \\. \\b \\(", "\\d\\.\\b\\("},
    {"trailing backslash kept", "(?x)a \\", "a\\"},
    // Inside a class spacing and '#' are members.
    {"space in class", "(?x)[ ,] a", "[ ,]a"},
    {"hash in class", "(?x)[#.] a", "[#.]a"},
    {"negated class", "(?x)[^ #] a", "[^ #]a"},
    {"bracket first in class", "(?x)[] #] a", "[] #]a"},
    {"negated bracket first", "(?x)[^] #] a", "[^] #]a"},
    {"escaped bracket in class", "(?x)[\\] #] a", "[\\] #]a"},
    {"posix class in class", "(?x)[[:alpha:] #] a", "[[:alpha:] #]a"},
    {"class after class", "(?x)[ ] [#]", "[ ][#]"},
    {"unclosed class keeps the rest", "(?x)a [b # c", "a[b # c"},
    // \Q...\E quotes spacing.
    {"quoted", "(?x)\\Qa #b\\E c", "\\Qa #b\\Ec"},
    {"quoted to the end", "(?x)\\Qa b", "\\Qa b"},
    // Fragment references pass through for the loader to expand.
    {"fragment reference", "(?x){{month}} \\ {{day}}", "{{month}} {{day}}"},
};

void PrintTo(const StripCase& c, std::ostream* os) { *os << c.name; }

class StripFreeSpacingTest : public ::testing::TestWithParam<StripCase> {};

TEST_P(StripFreeSpacingTest, KeepsWhatTheOneLinePatternMeans) {
  EXPECT_EQ(StripFreeSpacing(GetParam().pattern), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(FreeSpacing, StripFreeSpacingTest, ::testing::ValuesIn(kStripCases),
                         phiguard::testing::RowName());

}  // namespace
}  // namespace phiguard::rules
