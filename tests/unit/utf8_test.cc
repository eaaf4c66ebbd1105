#include "util/utf8.h"

#include <gtest/gtest.h>

namespace phiguard::util {
namespace {

struct Utf8Case {
  std::string bytes;
  bool valid;
};

const Utf8Case kCases[] = {
    {"", true},
    {"plain ascii", true},
    {"caf\xC3\xA9", true},
    {"\xF0\x9F\x98\x80", true},  // emoji, 4 bytes
    {"\xEF\xBF\xBF", true},      // U+FFFF is a noncharacter but valid UTF-8
    // Ill-formed
    {"\xFF", false},              // never valid
    {"\x80", false},              // stray continuation
    {"\xC3", false},              // truncated
    {"\xC0\xAF", false},          // overlong '/'
    {"\xE0\x80\xAF", false},      // overlong, 3 bytes
    {"\xED\xA0\x80", false},      // UTF-16 surrogate D800 encoded
    {"\xF4\x90\x80\x80", false},  // above U+10FFFF
    {"abc\xff\xfe def", false},   // the protocol checker's case
};

TEST(Utf8, ValidatesEveryRow) {
  for (const auto& c : kCases) {
    EXPECT_EQ(IsValidUtf8(c.bytes), c.valid) << ::testing::PrintToString(c.bytes);
  }
}

TEST(Utf8, Utf16LengthCountsSurrogatePairs) {
  EXPECT_EQ(Utf16Length(U'a'), 1u);
  EXPECT_EQ(Utf16Length(0xFFFF), 1u);
  EXPECT_EQ(Utf16Length(0x1F600), 2u);
}

TEST(Utf8, AppendRoundTrips) {
  for (char32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u, 0x10FFFFu}) {
    std::string out;
    AppendUtf8(out, cp);
    const auto decoded = DecodeUtf8At(out, 0);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->code_point, cp);
    EXPECT_EQ(decoded->length, out.size());
  }
}

}  // namespace
}  // namespace phiguard::util
