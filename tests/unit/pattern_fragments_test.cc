#include "rules/pattern_fragments.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace phiguard::rules {
namespace {

const Fragments kFragments = {{"month", "(?:jan|feb)"}, {"day", "\\d{1,2}"}};

struct ExpandCase {
  const char* name;
  std::string pattern;
  std::string expected;  // empty: an error whose reason holds `error`
  std::string error;
};

const ExpandCase kExpandCases[] = {
    {"no references", "\\d{2,4}-x", "\\d{2,4}-x", ""},
    {"one reference", "{{month}} \\d", "(?:jan|feb) \\d", ""},
    {"two references", "{{month}} {{day}}", "(?:jan|feb) \\d{1,2}", ""},
    {"same fragment twice", "{{day}}/{{day}}", "\\d{1,2}/\\d{1,2}", ""},
    {"reference at the end after a quantifier", "x{2}{{day}}", "x{2}\\d{1,2}", ""},
    {"escaped brace is literal", "\\{{month}}", "\\{{month}}", ""},
    {"single braces are quantifiers", "a{1,3}b{2}", "a{1,3}b{2}", ""},
    {"unknown fragment", "{{mnth}}", "",
     "unknown fragment '{{mnth}}' (the pack defines day, month)"},
    {"unclosed reference", "{{month", "", "'{{' without '}}'"},
    {"bad name", "{{Month}}", "", "'{{Month}}' is not a fragment reference"},
    {"digits are no name", "a{{2}}", "", "'{{2}}' is not a fragment reference"},
};

void PrintTo(const ExpandCase& c, std::ostream* os) { *os << c.name; }

class ExpandFragmentsTest : public ::testing::TestWithParam<ExpandCase> {};

TEST_P(ExpandFragmentsTest, ReplacesReferencesOnly) {
  const auto& c = GetParam();
  const auto result = ExpandFragments(c.pattern, kFragments, 4096);
  if (c.error.empty()) {
    ASSERT_TRUE(result.ok()) << result.error().Describe();
    EXPECT_EQ(result.value(), c.expected);
  } else {
    ASSERT_FALSE(result.ok()) << result.value();
    EXPECT_NE(result.error().reason.find(c.error), std::string::npos) << result.error().reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Fragments, ExpandFragmentsTest, ::testing::ValuesIn(kExpandCases),
                         phiguard::testing::RowName());

TEST(ExpandFragments, RefusesAResultOverTheLimit) {
  EXPECT_TRUE(ExpandFragments("{{day}}", kFragments, 7).ok());
  const auto result = ExpandFragments("{{day}}", kFragments, 6);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().reason.find("too long"), std::string::npos);
}

TEST(ExpandFragments, NoFragmentsSaysSo) {
  const auto result = ExpandFragments("{{month}}", {}, 4096);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().reason.find("defines no fragments"), std::string::npos);
}

TEST(ResolveFragments, ExpandsReferencesBetweenFragments) {
  const auto result = ResolveFragments(
      {{"date", "{{month}} {{day}}"}, {"month", "(?:jan|feb)"}, {"day", "\\d{1,2}"}}, 4096);
  ASSERT_TRUE(result.ok()) << result.error().Describe();
  EXPECT_EQ(result.value().at("date"), "(?:jan|feb) \\d{1,2}");
  EXPECT_EQ(result.value().at("month"), "(?:jan|feb)");
}

struct ResolveErrorCase {
  const char* name;
  Fragments written;
  std::string where;
  std::string reason;
};

const ResolveErrorCase kResolveErrors[] = {
    {"itself", {{"a", "x{{a}}"}}, "fragment a", "refers to itself: a -> a"},
    {"cycle of three",
     {{"a", "{{b}}"}, {"b", "{{c}}"}, {"c", "{{a}}"}},
     "fragment c",
     "refers to itself: a -> b -> c -> a"},
    {"unknown inside a fragment",
     {{"a", "{{b}}"}, {"b", "{{nope}}"}},
     "fragment b",
     "unknown fragment '{{nope}}'"},
    {"upper-case name", {{"Month", "x"}}, "fragment Month", "a fragment name is a-z"},
    {"name starting with a digit", {{"1st", "x"}}, "fragment 1st", "a fragment name is a-z"},
    {"doubling past the limit",
     {{"a", "{{b}}{{b}}"}, {"b", "{{c}}{{c}}"}, {"c", "{{d}}{{d}}"}, {"d", "xxxxxxxxxx"}},
     "fragment a",
     "too long"},
};

void PrintTo(const ResolveErrorCase& c, std::ostream* os) { *os << c.name; }

class ResolveErrorTest : public ::testing::TestWithParam<ResolveErrorCase> {};

TEST_P(ResolveErrorTest, NamesTheFragmentAndTheReason) {
  const auto& c = GetParam();
  const auto result = ResolveFragments(c.written, 64);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().where, c.where) << result.error().Describe();
  EXPECT_NE(result.error().reason.find(c.reason), std::string::npos) << result.error().Describe();
}

INSTANTIATE_TEST_SUITE_P(Fragments, ResolveErrorTest, ::testing::ValuesIn(kResolveErrors),
                         phiguard::testing::RowName());

}  // namespace
}  // namespace phiguard::rules
