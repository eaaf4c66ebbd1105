#include "protocol/messages.h"

#include <algorithm>
#include <map>

#include "protocol/json_writer.h"
#include "protocol/limits.h"

namespace phiguard::protocol {

using nlohmann::json;

json ErrorReply(ErrorCode code, std::string_view message, const json* id) {
  json reply = {{"type", "error"}, {"code", ToString(code)}, {"message", message}};
  if (id && (id->is_number() || id->is_string())) reply["id"] = *id;
  return reply;
}

namespace {

// One finding, keys in the order nlohmann's object map writes them (sorted), so the wire
// format is what it was when replies were built as JSON trees.
void WriteFinding(const scan::Finding& finding, const ResultFields& fields, std::string& out) {
  const auto& rule = *finding.rule;
  const bool details = !fields.rule_details_once;  // else they are in `rule_details`
  out += "{\"action\":";
  WriteJsonString(rules::ToString(finding.action), out);
  if (details) {
    out += ",\"advice\":";
    WriteJsonString(rule.advice, out);
  }
  if (finding.audited) out += ",\"audited\":true";
  if (fields.byte_offsets) {
    out += ",\"byte_end\":";
    WriteJsonNumber(std::uint64_t{finding.original.byte_end}, out);
    out += ",\"byte_start\":";
    WriteJsonNumber(std::uint64_t{finding.original.byte_start}, out);
  }
  if (details) {
    out += ",\"category\":";
    WriteJsonString(rule.category, out);
  }
  out += ",\"confidence\":";
  WriteJsonNumber(std::round(finding.confidence * 100) / 100, out);
  out += ",\"end\":";
  WriteJsonNumber(std::uint64_t{finding.original.utf16_end}, out);
  if (details) {
    out += ",\"kind\":";
    WriteJsonString(rules::ToString(rule.kind), out);
    out += ",\"message\":";
    WriteJsonString(rule.message, out);
  }
  out += ",\"rule\":";
  WriteJsonString(rule.id, out);
  if (details) {
    out += ",\"severity\":";
    WriteJsonString(rules::ToString(rule.severity), out);
  }
  out += ",\"start\":";
  WriteJsonNumber(std::uint64_t{finding.original.utf16_start}, out);
  if (details) {
    out += ",\"title\":";
    WriteJsonString(rule.title, out);
  }
  out += '}';
}

// `"rule_details":{id:{advice,category,kind,message,severity,title},…}` for the rules of
// the findings `kept` marks (all of them when `kept` is empty), ids in sorted order.
void WriteRuleDetails(const engine::ScanReport& report, const std::vector<bool>& kept,
                      std::string& out) {
  std::map<std::string_view, const rules::Rule*> rules_found;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const auto* rule = report.findings[i].rule;
    if (kept.empty() || kept[i]) rules_found.emplace(rule->id, rule);
  }
  out += ",\"rule_details\":{";
  bool first = true;
  for (const auto& [id, rule] : rules_found) {
    if (!first) out += ',';
    first = false;
    WriteJsonString(id, out);
    out += ":{\"advice\":";
    WriteJsonString(rule->advice, out);
    out += ",\"category\":";
    WriteJsonString(rule->category, out);
    out += ",\"kind\":";
    WriteJsonString(rules::ToString(rule->kind), out);
    out += ",\"message\":";
    WriteJsonString(rule->message, out);
    out += ",\"severity\":";
    WriteJsonString(rules::ToString(rule->severity), out);
    out += ",\"title\":";
    WriteJsonString(rule->title, out);
    out += '}';
  }
  out += '}';
}

// Which findings go in the reply: all of them, unless there are more than the count or
// byte limits allow; then the most severe (IsStronger) that fit, and `truncated`.
// `ends[i]` is where finding i's serialised form ends in one buffer of all of them.
std::vector<bool> FindingsThatFit(const engine::ScanReport& report,
                                  const std::vector<std::size_t>& ends, std::size_t envelope,
                                  bool& truncated) {
  const std::size_t count = report.findings.size();
  const auto size_of = [&](std::size_t i) { return ends[i] - (i == 0 ? 0 : ends[i - 1]) + 1; };
  std::size_t total = envelope;
  for (std::size_t i = 0; i < count; ++i) total += size_of(i);  // +1: the comma
  truncated = count > kMaxFindingsPerReply || total > kMaxReplyBytes;
  std::vector<bool> kept(count, !truncated);
  if (!truncated) return kept;
  std::vector<std::size_t> by_strength(count);
  for (std::size_t i = 0; i < count; ++i) by_strength[i] = i;
  std::sort(by_strength.begin(), by_strength.end(), [&](std::size_t a, std::size_t b) {
    return scan::IsStronger(report.findings[a], report.findings[b]);
  });
  total = envelope;
  for (std::size_t n = 0; n < count && n < kMaxFindingsPerReply; ++n) {
    const std::size_t i = by_strength[n];
    if (total + size_of(i) > kMaxReplyBytes) break;  // the rest are weaker
    total += size_of(i);
    kept[i] = true;
  }
  return kept;
}

}  // namespace

std::string ResultReply(const engine::ScanReport& report, const ResultFields& fields) {
  // Each finding is written once, into one buffer; the reply takes the ones that fit. (As
  // a JSON tree, a reply cost more than the scan: 1.2 us a finding, and a 64 KB paste has
  // hundreds.)
  std::string findings;
  std::vector<std::size_t> ends;
  ends.reserve(report.findings.size());
  for (const auto& finding : report.findings) {
    WriteFinding(finding, fields, findings);
    ends.push_back(findings.size());
  }
  // Everything but the findings, keys sorted as nlohmann writes them: "capped", the file, then the
  // findings, the id, the rule details, the version and time, "truncated", type and verdict.
  std::string head = "{";
  // Before "file": the keys stay in nlohmann's (sorted) order.
  if (report.capped) head += "\"capped\":true,";
  if (fields.file) {
    head += "\"file\":";
    WriteJsonString(*fields.file, head);
    head += ',';
  }
  head += "\"findings\":[";
  std::string after_findings = "]";
  if (fields.id) {
    after_findings += ",\"id\":";
    WriteJson(*fields.id, after_findings);
  }
  // The details of every rule found: an upper bound of what the kept findings' rules need.
  std::string rule_details;
  if (fields.rule_details_once) WriteRuleDetails(report, {}, rule_details);
  std::string version = ",\"rules_version\":";
  WriteJsonString(report.rules_version, version);
  version += ",\"scan_us\":";
  WriteJsonNumber(std::uint64_t{report.scan_us}, version);
  constexpr std::string_view kTruncated = ",\"truncated\":true";
  std::string end = ",\"type\":\"result\",\"verdict\":";
  WriteJsonString(policy::ToString(report.verdict), end);
  end += '}';

  bool truncated = false;
  const std::size_t envelope = head.size() + after_findings.size() + rule_details.size() +
                               version.size() + kTruncated.size() + end.size();
  const auto kept = FindingsThatFit(report, ends, envelope, truncated);
  if (truncated && fields.rule_details_once) {
    rule_details.clear();
    WriteRuleDetails(report, kept, rule_details);  // only the rules of the findings kept
  }
  std::string reply = std::move(head);
  reply.reserve(envelope + findings.size());
  bool first = true;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (!kept[i]) continue;
    if (!first) reply += ',';
    first = false;
    const std::size_t from = i == 0 ? 0 : ends[i - 1];
    reply.append(findings, from, ends[i] - from);
  }
  reply += after_findings;
  reply += rule_details;
  reply += version;
  if (truncated) reply += kTruncated;
  reply += end;
  return reply;
}

json RulesSummary(const scan::CompiledRules& rules) {
  json packs = json::array();
  for (const auto& pack : rules.packs()) {
    packs.push_back({{"id", pack.id}, {"version", pack.version}, {"rules", pack.rules.size()}});
  }
  return {{"version", rules.version()}, {"packs", packs}};
}

std::string Serialize(const json& reply) {
  std::string out;
  out.reserve(256);
  WriteJson(reply, out);
  return out;
}

}  // namespace phiguard::protocol
