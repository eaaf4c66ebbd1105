#include "rules/pack_loader.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace phiguard::rules {
namespace {

using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

struct LoaderErrorCase {
  const char* name;
  std::string json;
  std::string expected_where;   // substring of Error::where
  std::string expected_reason;  // substring of Error::reason
};

const std::string kPattern = R"("pattern":"\\d{9}")";

// A pack with top-level "fragments" (a JSON object's members) before its rules.
std::string PackWithFragments(const std::string& fragments, const std::string& rules_array) {
  return R"({"pack":"test","version":"1.0.0","description":"d","fragments":{)" + fragments +
         R"(},"rules":)" + rules_array + "}";
}

const LoaderErrorCase kErrorCases[] = {
    {"not json", "{", "inline.json", "not valid JSON"},
    {"not an object", "[1]", "inline.json", "JSON object"},
    {"missing pack name", R"({"version":"1","description":"d","rules":[]})", "inline.json",
     "'pack'"},
    {"empty rules", PackJson("[]"), "inline.json", "non-empty list"},
    {"unknown pack field", R"({"pack":"p","version":"1","description":"d","rulez":[]})",
     "inline.json", "unknown field 'rulez'"},
    // Rule-level errors name the rule
    {"unknown category", PackJson("[" + RuleJson("a.b", kPattern, "zipcode") + "]"),
     "inline.json: a.b", "unknown category 'zipcode'"},
    {"bad action", PackJson("[" + RuleJson("a.b", kPattern, "ssn", "stop") + "]"),
     "inline.json: a.b", "'action' must be one of"},
    {"no matcher", PackJson("[" + RuleJson("a.b", R"("caseless":true)") + "]"), "inline.json: a.b",
     "exactly one matcher"},
    {"two matchers", PackJson("[" + RuleJson("a.b", kPattern + R"(,"terms":["x"])") + "]"),
     "inline.json: a.b", "exactly one matcher"},
    {"unknown rule field", PackJson("[" + RuleJson("a.b", kPattern + R"(,"patern":"x")") + "]"),
     "inline.json: a.b", "unknown field 'patern'"},
    {"duplicate id",
     PackJson("[" + RuleJson("a.b", kPattern) + "," + RuleJson("a.b", kPattern) + "]"),
     "inline.json: a.b", "duplicate rule id"},
    {"bad id characters", PackJson("[" + RuleJson("A B", kPattern) + "]"), "inline.json: A B",
     "'id' may hold only"},
    {"confidence out of range",
     PackJson("[" + RuleJson("a.b", kPattern + R"(,"confidence":1.5)") + "]"), "inline.json: a.b",
     "'confidence'"},
    {"required context without words",
     PackJson("[" + RuleJson("a.b", kPattern + R"(,"context":{"required":true})") + "]"),
     "inline.json: a.b", "needs at least one 'raise'"},
    {"context window too large",
     PackJson("[" + RuleJson("a.b", kPattern + R"(,"context":{"window":100000})") + "]"),
     "inline.json: a.b", "'context.window'"},
    {"terms file without a folder",
     PackJson("[" + RuleJson("a.b", R"("terms_file":"names.txt")") + "]"), "inline.json: a.b",
     "not allowed"},
    // Readable patterns: the rule or the fragment is named
    {"pattern neither string nor list", PackJson("[" + RuleJson("a.b", R"("pattern":5)") + "]"),
     "inline.json: a.b", "'pattern' must be a string or a list of strings"},
    {"pattern list holding a number", PackJson("[" + RuleJson("a.b", R"("pattern":["a",1])") + "]"),
     "inline.json: a.b", "'pattern' must be a string or a list of strings"},
    {"pattern of comments only",
     PackJson("[" + RuleJson("a.b", R"j("pattern":["(?x)  # nothing", "  "])j") + "]"),
     "inline.json: a.b", "empty once spacing and comments are removed"},
    {"unknown fragment in a rule",
     PackWithFragments(R"("day":"\\d{2}")",
                       "[" + RuleJson("a.b", R"("pattern":"{{month}}")") + "]"),
     "inline.json: a.b", "unknown fragment '{{month}}' (the pack defines day)"},
    {"fragment reference without a pack fragment",
     PackJson("[" + RuleJson("a.b", R"("pattern":"x{{month}}")") + "]"), "inline.json: a.b",
     "defines no fragments"},
    {"fragment cycle",
     PackWithFragments(R"j("a":"x{{b}}","b":["(?x)", "{{a}} # back"])j",
                       "[" + RuleJson("a.b", kPattern) + "]"),
     "inline.json: fragment b", "refers to itself: a -> b -> a"},
    {"bad fragment name",
     PackWithFragments(R"("Month":"x")", "[" + RuleJson("a.b", kPattern) + "]"),
     "inline.json: fragment Month", "a fragment name is a-z"},
    {"empty fragment",
     PackWithFragments(R"j("month":"(?x) # to do")j", "[" + RuleJson("a.b", kPattern) + "]"),
     "inline.json: fragment month", "non-empty pattern"},
    {"fragments not an object",
     R"({"pack":"p","version":"1","description":"d","fragments":["x"],"rules":[]})", "inline.json",
     "'fragments' must be an object"},
    {"pattern too long once expanded",
     PackWithFragments(R"("long":")" + std::string(3000, 'x') + R"(")",
                       "[" + RuleJson("a.b", R"("pattern":"{{long}}{{long}}")") + "]"),
     "inline.json: a.b", "too long"},
    {"no examples",
     PackJson(R"([{"id":"a.b","title":"t","category":"ssn","kind":"phi","severity":"high",)"
              R"("action":"warn","message":"m","pattern":"x"}])"),
     "inline.json: a.b", "'examples'"},
};

void PrintTo(const LoaderErrorCase& c, std::ostream* os) { *os << c.name; }

class LoaderErrorTest : public ::testing::TestWithParam<LoaderErrorCase> {};

TEST_P(LoaderErrorTest, NamesFileRuleAndReason) {
  const auto& c = GetParam();
  const auto result = ParsePack(c.json, "inline.json");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().where.find(c.expected_where), std::string::npos)
      << result.error().Describe();
  EXPECT_NE(result.error().reason.find(c.expected_reason), std::string::npos)
      << result.error().Describe();
}

INSTANTIATE_TEST_SUITE_P(PackLoader, LoaderErrorTest, ::testing::ValuesIn(kErrorCases),
                         phiguard::testing::RowName());

// Pack-level `surfaces` and `sites`: checked, and allowed on policy rules only.
TEST(PackLoader, ScopedPacksNameKnownSurfacesAndHoldOnlyPolicyRules) {
  const auto pack = [](const std::string& scope, const std::string& kind) {
    return R"({"pack":"p","version":"1","description":"d",)" + scope +
           R"("rules":[{"id":"r.one","title":"t","category":")" +
           (kind == "policy" ? "review_response" : "other_id") + R"(","kind":")" + kind +
           R"(","severity":"low","action":"warn","message":"m","examples":["x"],"terms":["x"]}]})";
  };
  const auto parsed = rules::ParsePack(pack(R"("surfaces":["review_reply"],)", "policy"), "p.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().Describe();
  EXPECT_EQ(parsed.value().rules[0].surfaces, std::vector<std::string>{"review_reply"});

  const auto unknown = rules::ParsePack(pack(R"("surfaces":["reply"],)", "policy"), "p.json");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().Describe().find("unknown surface 'reply'"), std::string::npos);

  const auto empty = rules::ParsePack(pack(R"("sites":[],)", "policy"), "p.json");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().Describe().find("'sites'"), std::string::npos);

  const auto phi = rules::ParsePack(pack(R"("sites":["x"],)", "phi"), "p.json");
  ASSERT_FALSE(phi.ok());
  EXPECT_NE(phi.error().Describe().find("r.one': only policy rules"), std::string::npos)
      << phi.error().Describe();
}

TEST(PackLoader, ParsesEveryField) {
  const auto result = ParsePack(
      PackJson(
          R"j([{"id":"phi.x","title":"T","category":"mrn","kind":"phi","severity":"critical",)j"
          R"j("action":"block","pattern":"MRN (\\d{8})","span_group":1,"caseless":true,)j"
          R"j("validate":"luhn","context":{"raise":["Chart"],"lower":["Order"],"window":30,)j"
          R"j("required":true},"confidence":0.4,"message":"M","advice":"A",)j"
          R"j("references":["R"],"examples":["e"],"negatives":["n"]}])j"),
      "inline.json");
  ASSERT_TRUE(result.ok()) << result.error().Describe();
  const auto& rule = result.value().rules.at(0);
  EXPECT_EQ(rule.id, "phi.x");
  EXPECT_EQ(rule.severity, Severity::kCritical);
  EXPECT_EQ(rule.action, Action::kBlock);
  EXPECT_EQ(rule.span_group, 1u);
  EXPECT_TRUE(rule.caseless);
  EXPECT_EQ(rule.context.raise, std::vector<std::string>{"chart"});  // lower-cased
  EXPECT_EQ(rule.context.window, 30u);
  EXPECT_TRUE(rule.context.required);
  EXPECT_DOUBLE_EQ(rule.confidence, 0.4);
  EXPECT_EQ(rule.negatives, std::vector<std::string>{"n"});
}

// What the engines compile from a pack's only rule.
std::string LoadedPattern(const std::string& pack_json) {
  const auto result = ParsePack(pack_json, "inline.json");
  EXPECT_TRUE(result.ok()) << result.error().Describe();
  return result.ok() ? result.value().rules.at(0).pattern : std::string();
}

TEST(PackLoader, PatternListsJoinWithoutSeparator) {
  EXPECT_EQ(LoadedPattern(PackJson(
                "[" + RuleJson("a.b", R"j("pattern":["(?:jan|feb", "|mar) ", "\\d"])j") + "]")),
            "(?:jan|feb|mar) \\d");
}

TEST(PackLoader, FreeSpacingListsEndEachCommentWithItsLine) {
  // Joined without a line break, the first comment would swallow "b" and "c".
  EXPECT_EQ(
      LoadedPattern(PackJson(
          "[" + RuleJson("a.b", R"j("pattern":["(?x) a  # first", " b # second", "c"])j") + "]")),
      "abc");
}

TEST(PackLoader, FreeSpacingKeepsClassesAndEscapedSpaces) {
  EXPECT_EQ(LoadedPattern(PackJson(
                "[" + RuleJson("a.b", R"j("pattern":"(?x) my\\ pt [ #] \\d{2} # bed")j") + "]")),
            "my pt[ #]\\d{2}");
}

TEST(PackLoader, FragmentsExpandInRulesAndInEachOther) {
  const auto pack = PackWithFragments(
      R"j("month":["(?x) (?:jan|feb)  # two months"],"date":"{{month}} \\d{1,2}")j",
      "[" + RuleJson("a.b", R"j("pattern":["(?x)", "on\\ {{date}}  # a date", "\\b"])j") + "]");
  EXPECT_EQ(LoadedPattern(pack), "on (?:jan|feb) \\d{1,2}\\b");
}

TEST(PackLoader, FragmentTextKeepsItsOwnSpacing) {
  // Expansion comes after stripping, so a fragment without (?x) keeps its space even in a
  // free-spacing pattern, and a '#' in it is no comment.
  const auto pack = PackWithFragments(
      R"("title":"Mr\\.? #")", "[" + RuleJson("a.b", R"j("pattern":"(?x) {{title}} x")j") + "]");
  EXPECT_EQ(LoadedPattern(pack), "Mr\\.? #x");
}

TEST(PackLoader, ShippedPacksLoad) {
  const auto packs = LoadPackDirectory(PHIGUARD_SOURCE_DIR "/rules/packs");
  ASSERT_TRUE(packs.ok()) << packs.error().Describe();
  EXPECT_FALSE(packs.value().empty());
}

TEST(PackLoader, DuplicateIdsAcrossPacksAreNamed) {
  auto a = ParsePack(PackJson("[" + RuleJson("same.id", kPattern) + "]"), "a.json");
  auto b = ParsePack(PackJson("[" + RuleJson("same.id", kPattern) + "]"), "b.json");
  ASSERT_TRUE(a.ok() && b.ok());
  const auto error = CheckUniqueRuleIds({a.value(), b.value()});
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->where, "b.json: same.id");
  EXPECT_NE(error->reason.find("a.json"), std::string::npos);
}

}  // namespace
}  // namespace phiguard::rules
