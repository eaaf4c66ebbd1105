#include "service/request_handler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "audit/audit_log.h"
#include "protocol/limits.h"
#include "test_support.h"

namespace phiguard::service {
namespace {

using nlohmann::json;
using phiguard::testing::CompileInline;
using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;
using protocol::kMaxFindingsPerReply;
using protocol::kMaxReplyBytes;
using protocol::kMaxTextBytes;

RequestHandler MakeHandler() {
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b")", "ssn", "block") + "," +
      RuleJson("t.digit", R"("pattern":"\\d")", "other_id", "info") + "]"));
  return RequestHandler({"9.9.9", "chrome-extension://test/"},
                        std::make_unique<engine::Engine>(rules));
}

json Reply(RequestHandler& handler, std::string_view request) {
  return json::parse(handler.Handle(request));
}

struct ErrorCase {
  const char* name;
  std::string request;
  std::string code;
  json id;  // null when the reply must carry no id
};

TEST(RequestHandler, AnswersEveryMalformedRequestWithTheRightCode) {
  const ErrorCase cases[] = {
      {"not json", "{nope", "bad_json", nullptr},
      {"invalid utf-8", "{\"type\":\"ping\xC0\"}", "bad_json", nullptr},
      {"lone surrogate escape", R"({"type":"scan","id":1,"text":"\ud800"})", "bad_json", nullptr},
      {"array", "[1]", "bad_request", nullptr},
      {"missing type", R"({"id":3})", "bad_request", 3},
      {"type not a string", R"({"type":7,"id":"x"})", "bad_request", "x"},
      {"unknown type", R"({"type":"explode","id":4})", "unsupported", 4},
      {"text missing", R"({"type":"scan","id":5})", "bad_request", 5},
      {"text wrong type", R"({"type":"scan","id":6,"text":["a"]})", "bad_request", 6},
      {"site wrong type", R"({"type":"scan","id":7,"text":"a","site":{}})", "bad_request", 7},
      {"rule_details unknown", R"({"type":"scan","id":8,"text":"a","rule_details":"all"})",
       "bad_request", 8},
      {"id an object", R"({"type":"ping","id":{}})", "bad_request", nullptr},
      {"deep nesting", std::string(100, '[') + std::string(100, ']'), "bad_json", nullptr},
      {"number overflow", R"({"type":"ping","id":1e999})", "bad_json", nullptr},
  };
  auto handler = MakeHandler();
  for (const auto& c : cases) {
    const json reply = Reply(handler, c.request);
    EXPECT_EQ(reply["type"], "error") << c.name;
    EXPECT_EQ(reply["code"], c.code) << c.name;
    if (c.id.is_null()) {
      EXPECT_FALSE(reply.contains("id")) << c.name;
    } else {
      EXPECT_EQ(reply["id"], c.id) << c.name;
    }
    // The host keeps serving after every one of them.
    EXPECT_EQ(Reply(handler, R"({"type":"ping","id":1})")["type"], "pong") << c.name;
  }
}

TEST(RequestHandler, HelloReportsProtocolAndRules) {
  auto handler = MakeHandler();
  const json reply = Reply(handler, R"({"type":"hello","id":"h","client":{"name":"t"}})");
  EXPECT_EQ(reply["type"], "hello");
  EXPECT_EQ(reply["id"], "h");
  EXPECT_EQ(reply["protocol"], 1);
  EXPECT_EQ(reply["host_version"], "9.9.9");
  EXPECT_EQ(reply["rules"]["version"], "test@1.0.0");
  EXPECT_EQ(reply["rules"]["packs"][0]["rules"], 2);
}

TEST(RequestHandler, ScanRepliesWithoutEchoingText) {
  auto handler = MakeHandler();
  const std::string reply =
      handler.Handle(R"({"type":"scan","id":1,"text":"SSN 219-44-7816","site":"x.com"})");
  EXPECT_EQ(reply.find("219-44-7816"), std::string::npos);
  const json result = json::parse(reply);
  EXPECT_EQ(result["verdict"], "block");
  EXPECT_EQ(result["rules_version"], "test@1.0.0");
  EXPECT_TRUE(result["scan_us"].is_number_unsigned());
}

TEST(RequestHandler, TextOverTheLimitIsTooLarge) {
  auto handler = MakeHandler();
  const json request = {{"type", "scan"}, {"id", 1}, {"text", std::string(kMaxTextBytes + 1, 'a')}};
  const json reply = Reply(handler, request.dump());
  EXPECT_EQ(reply["code"], "too_large");
  EXPECT_EQ(reply["id"], 1);
}

TEST(RequestHandler, ManyFindingsAreTruncatedToTheMostSevereAndFitTheReplyCap) {
  auto handler = MakeHandler();
  // Thousands of single-digit info findings and one blocking SSN at the very end.
  std::string text;
  for (int i = 0; i < 6000; ++i) text += "7 ";
  text += "219-44-7816";
  const std::string reply = handler.Handle(json({{"type", "scan"}, {"text", text}}).dump());
  EXPECT_LT(reply.size(), 1024u * 1024u);
  const json result = json::parse(reply);
  EXPECT_EQ(result["truncated"], true);
  EXPECT_LE(result["findings"].size(), kMaxFindingsPerReply);
  bool has_ssn = false;
  for (const auto& f : result["findings"]) has_ssn |= f["rule"] == "t.ssn";
  EXPECT_TRUE(has_ssn) << "the most severe finding must survive truncation";
  EXPECT_EQ(result["verdict"], "block");
}

TEST(RequestHandler, FindingsWithLongMessagesAreCutToTheByteCapStrongestFirstInTextOrder) {
  // 400 findings with a 4 KB message each are 1.6 MB of reply: only the strongest that fit
  // under the cap stay, and they stay in the order of the text.
  const std::string long_message(4000, 'x');
  const std::string digit_rule =
      R"json({"id":"t.digit","title":"t","category":"other_id","kind":"phi","severity":"low",)json"
      R"json("action":"info","examples":["7"],"pattern":"\\b7\\b","message":")json" +
      long_message + "\"}";
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b")", "ssn", "block") + "," +
      digit_rule + "]"));
  RequestHandler handler({"9.9.9", "chrome-extension://test/"},
                         std::make_unique<engine::Engine>(rules));
  std::string text = "219-44-7816 ";
  for (int i = 0; i < 400; ++i) text += "7 ";
  const std::string reply = handler.Handle(json({{"type", "scan"}, {"text", text}}).dump());
  EXPECT_LE(reply.size(), kMaxReplyBytes);
  const json result = json::parse(reply);
  EXPECT_EQ(result["truncated"], true);
  const auto& findings = result["findings"];
  ASSERT_GT(findings.size(), 200u);
  EXPECT_LT(findings.size(), 260u);
  EXPECT_EQ(findings[0]["rule"], "t.ssn");
  for (std::size_t i = 1; i < findings.size(); ++i) {
    EXPECT_LT(findings[i - 1]["start"], findings[i]["start"]);
  }
}

TEST(RequestHandler, RuleDetailsOnceCarryEachRuleOnceAndExpandToTheFullFindings) {
  auto handler = MakeHandler();
  const std::string text = "SSN 219-44-7816, then 7 and 8 and 219-44-7816";
  const json full = Reply(handler, json({{"type", "scan"}, {"id", 1}, {"text", text}}).dump());
  const json once =
      Reply(handler,
            json({{"type", "scan"}, {"id", 1}, {"text", text}, {"rule_details", "once"}}).dump());
  ASSERT_EQ(once["findings"].size(), full["findings"].size());
  ASSERT_GT(once["findings"].size(), 2u);
  EXPECT_EQ(once["rule_details"].size(), 2u);  // t.ssn and t.digit, once each
  json expanded = json::array();
  for (const auto& finding : once["findings"]) {
    EXPECT_FALSE(finding.contains("message"));
    json whole = once["rule_details"][finding["rule"].get<std::string>()];
    whole.update(finding);
    expanded.push_back(whole);
  }
  EXPECT_EQ(expanded, full["findings"]);
  EXPECT_EQ(once["verdict"], full["verdict"]);
  // "each" is the default, spelled out.
  const json each =
      Reply(handler,
            json({{"type", "scan"}, {"id", 1}, {"text", text}, {"rule_details", "each"}}).dump());
  EXPECT_EQ(each["findings"], full["findings"]);
  EXPECT_FALSE(each.contains("rule_details"));
}

TEST(RequestHandler, TruncatedRepliesCarryTheDetailsOfTheRulesKeptOnly) {
  // Sevens (high severity) and eights (low) are info findings; past the count limit the
  // eights are the weakest and are dropped, and their rule's details with them.
  const std::string weak_rule =
      R"json({"id":"t.weak","title":"t","category":"other_id","kind":"phi","severity":"low",)json"
      R"json("action":"info","examples":["8"],"pattern":"\\b8\\b","message":"m"})json";
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b")", "ssn", "block") + "," +
      RuleJson("t.seven", R"("pattern":"\\b7\\b")", "other_id", "info") + "," + weak_rule + "]"));
  RequestHandler handler({"9.9.9", "chrome-extension://test/"},
                         std::make_unique<engine::Engine>(rules));
  std::string text = "8 8 8 ";
  for (int i = 0; i < 2500; ++i) text += "7 ";
  text += "219-44-7816";
  const json once =
      Reply(handler, json({{"type", "scan"}, {"text", text}, {"rule_details", "once"}}).dump());
  EXPECT_EQ(once["truncated"], true);
  EXPECT_EQ(once["findings"].size(), kMaxFindingsPerReply);
  std::set<std::string> kept_rules;
  for (const auto& f : once["findings"]) kept_rules.insert(f["rule"].get<std::string>());
  std::set<std::string> described;
  for (const auto& [id, details] : once["rule_details"].items()) described.insert(id);
  EXPECT_EQ(kept_rules, (std::set<std::string>{"t.seven", "t.ssn"}));
  EXPECT_EQ(described, kept_rules);
}

// An audit record names only what is real here: a covered site, rules and a version in
// force. Each refused value below has the right shape for its field.
TEST(RequestHandler, AuditRecordsNameOnlyCoveredSitesAndRulesInForce) {
  auto handler = MakeHandler();
  const std::string version = Reply(handler, R"({"type":"hello"})")["rules"]["version"];
  const auto audit = [&](const std::string& site, const std::string& rule,
                         const std::string& rules_version) {
    const json request = {{"type", "audit"},
                          {"id", 1},
                          {"event",
                           {{"site", site},
                            {"verdict", "block"},
                            {"outcome", "edited"},
                            {"rules", {rule}},
                            {"rules_version", rules_version}}}};
    return Reply(handler, request.dump());
  };
  EXPECT_EQ(audit("x.com", "t.ssn", version)["type"], "audited");
  EXPECT_EQ(audit("x.com", "scan.capped", version)["type"], "audited");

  const auto rule = audit("x.com", "john-carter-536-22-8712", version);
  EXPECT_EQ(rule["code"], "bad_request");
  EXPECT_NE(rule["message"].get<std::string>().find("event.rules"), std::string::npos);
  EXPECT_EQ(rule["message"].get<std::string>().find("john"), std::string::npos);
  EXPECT_EQ(audit("john-carter.example", "t.ssn", version)["code"], "bad_request");
  EXPECT_EQ(audit("x.com", "t.ssn", "john-carter@1")["code"], "bad_request");
  EXPECT_EQ(audit("forum.example.org", "t.ssn", version)["code"], "bad_request");

  // Sites the organisation added through policy become valid, a domain with its subdomains.
  const auto configured = Reply(
      handler, R"({"type":"configure","policy":{"sites":["forum.example.org","*.example.net"]}})");
  ASSERT_EQ(configured["type"], "configured") << configured.dump();
  EXPECT_EQ(audit("forum.example.org", "t.ssn", version)["type"], "audited");
  EXPECT_EQ(audit("talk.example.net", "t.ssn", version)["type"], "audited");
  EXPECT_EQ(audit("example.net", "t.ssn", version)["type"], "audited");
  EXPECT_EQ(audit("badexample.net", "t.ssn", version)["code"], "bad_request");
  EXPECT_EQ(Reply(handler, R"({"type":"configure","policy":{"sites":["Forum Example"]}})")["code"],
            "bad_request");
}

// hello says whether audit records are on, so the popup can say so before a report; a
// false-alarm report is recorded like the guard's outcomes, and checked the same way.
TEST(RequestHandler, HelloSaysWhetherAuditIsOnAndFalseAlarmsAreRecorded) {
  auto without_audit = MakeHandler();
  EXPECT_EQ(Reply(without_audit, R"({"type":"hello"})")["audit"], false);

  const auto dir = std::filesystem::temp_directory_path() /
                   ("phiguard-false-alarm-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  config::AuditConfig settings;
  settings.enabled = true;
  settings.file = dir / "audit.jsonl";
  audit::AuditLog log;
  ASSERT_TRUE(log.Configure(settings).ok());
  HostServices services;
  services.audit = &log;
  services.audit_defaults = settings;
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b")", "ssn", "block") + "]"));
  RequestHandler handler({"9.9.9", "chrome-extension://test/"},
                         std::make_unique<engine::Engine>(rules), "", services);
  const json hello = Reply(handler, R"({"type":"hello"})");
  EXPECT_EQ(hello["audit"], true);

  const auto report = [&](const std::string& rule) {
    const json request = {{"type", "audit"},
                          {"event",
                           {{"site", "x.com"},
                            {"verdict", "block"},
                            {"outcome", "false_alarm"},
                            {"rules", {rule}},
                            {"categories", {"ssn"}},
                            {"rules_version", hello["rules"]["version"]}}}};
    return Reply(handler, request.dump());
  };
  EXPECT_EQ(report("t.ssn")["recorded"], true);
  EXPECT_EQ(report("john-carter-536-22-8712")["code"], "bad_request");
  std::ifstream file(settings.file);
  std::string line;
  std::vector<json> records;
  while (std::getline(file, line)) records.push_back(json::parse(line));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["outcome"], "false_alarm");
  EXPECT_EQ(records[0]["rules"], json({"t.ssn"}));
  std::filesystem::remove_all(dir);
}

TEST(RequestHandler, WithoutRulesScansFailVisiblyButHelloAnswers) {
  RequestHandler handler({"1", ""}, nullptr, "packs folder missing");
  const json hello = Reply(handler, R"({"type":"hello","id":1})");
  EXPECT_EQ(hello["rules"]["version"], "none");
  const json scan = Reply(handler, R"({"type":"scan","id":2,"text":"a"})");
  EXPECT_EQ(scan["code"], "internal");
  EXPECT_NE(scan["message"].get<std::string>().find("packs folder missing"), std::string::npos);
}

}  // namespace
}  // namespace phiguard::service
