#include "util/line_column.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace phiguard::util {
namespace {

// The definition: count from the start every time.
LineColumn FromStart(std::string_view text, std::size_t offset) {
  LineColumn at;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++at.column;
    }
  }
  return at;
}

struct LineColumnCase {
  std::string text;
  std::size_t offset;
  std::size_t line;
  std::size_t column;
};

const LineColumnCase kCases[] = {
    {"", 0, 1, 1},
    {"abc", 0, 1, 1},
    {"abc", 2, 1, 3},
    {"ab\ncd", 3, 2, 1},
    {"ab\ncd", 4, 2, 2},
    {"ab\n\n\ncd", 5, 4, 1},
    {"abc", 99, 1, 4},  // past the end: the end
    // Non-ASCII: columns count code points
    {"caf\xC3\xA9 x", 6, 1, 6},
    {"\xF0\x9F\x98\x80 x", 5, 1, 3},
    {"\xF0\x9F\x98\x80 x", 2, 1, 2},  // inside a code point: that code point's column
};

TEST(LineColumnCursor, AnswersEveryRowFromAFreshCursor) {
  for (const auto& row : kCases) {
    LineColumnCursor cursor(row.text);
    const auto at = cursor.At(row.offset);
    EXPECT_EQ(at.line, row.line) << row.text << " @" << row.offset;
    EXPECT_EQ(at.column, row.column) << row.text << " @" << row.offset;
  }
}

// Random offsets, mostly ascending with some going back, on random text with newlines and
// multi-byte characters: every answer is the count from the start.
TEST(LineColumnCursor, AgreesWithCountingFromTheStartForwardAndBack) {
  const std::vector<std::string> pieces = {"a",    "bc ",  "\n", "\xC3\xA9", "\xF0\x9F\x98\x80",
                                           "\n\n", "word "};
  std::mt19937 random(1234);
  for (int round = 0; round < 50; ++round) {
    std::string text;
    const int length = std::uniform_int_distribution<int>(0, 300)(random);
    for (int i = 0; i < length; ++i) text += pieces[random() % pieces.size()];
    LineColumnCursor cursor(text);
    std::size_t offset = 0;
    for (int step = 0; step < 100; ++step) {
      if (random() % 5 == 0) {
        offset = random() % (text.size() + 2);  // anywhere, often back
      } else {
        offset += random() % 12;
      }
      const auto at = cursor.At(offset);
      const auto expected = FromStart(text, offset);
      ASSERT_EQ(at.line, expected.line) << "round " << round << " offset " << offset;
      ASSERT_EQ(at.column, expected.column) << "round " << round << " offset " << offset;
    }
  }
}

}  // namespace
}  // namespace phiguard::util
