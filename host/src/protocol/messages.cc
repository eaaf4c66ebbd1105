#include "protocol/messages.h"

#include <algorithm>

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
void WriteFinding(const scan::Finding& finding, bool byte_offsets, std::string& out) {
  const auto& rule = *finding.rule;
  out += "{\"action\":";
  WriteJsonString(rules::ToString(finding.action), out);
  out += ",\"advice\":";
  WriteJsonString(rule.advice, out);
  if (byte_offsets) {
    out += ",\"byte_end\":";
    WriteJsonNumber(std::uint64_t{finding.original.byte_end}, out);
    out += ",\"byte_start\":";
    WriteJsonNumber(std::uint64_t{finding.original.byte_start}, out);
  }
  out += ",\"category\":";
  WriteJsonString(rule.category, out);
  out += ",\"confidence\":";
  WriteJsonNumber(std::round(finding.confidence * 100) / 100, out);
  out += ",\"end\":";
  WriteJsonNumber(std::uint64_t{finding.original.utf16_end}, out);
  out += ",\"kind\":";
  WriteJsonString(rules::ToString(rule.kind), out);
  out += ",\"message\":";
  WriteJsonString(rule.message, out);
  out += ",\"rule\":";
  WriteJsonString(rule.id, out);
  out += ",\"severity\":";
  WriteJsonString(rules::ToString(rule.severity), out);
  out += ",\"start\":";
  WriteJsonNumber(std::uint64_t{finding.original.utf16_start}, out);
  out += ",\"title\":";
  WriteJsonString(rule.title, out);
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
    WriteFinding(finding, fields.byte_offsets, findings);
    ends.push_back(findings.size());
  }
  // Everything but the findings, keys sorted as nlohmann writes them.
  std::string head = "{";
  if (fields.file) {
    head += "\"file\":";
    WriteJsonString(*fields.file, head);
    head += ',';
  }
  head += "\"findings\":[";
  std::string tail = "]";
  if (fields.id) {
    tail += ",\"id\":";
    WriteJson(*fields.id, tail);
  }
  tail += ",\"rules_version\":";
  WriteJsonString(report.rules_version, tail);
  tail += ",\"scan_us\":";
  WriteJsonNumber(std::uint64_t{report.scan_us}, tail);
  constexpr std::string_view kTruncated = ",\"truncated\":true";
  std::string end = ",\"type\":\"result\",\"verdict\":";
  WriteJsonString(policy::ToString(report.verdict), end);
  end += '}';

  bool truncated = false;
  const auto kept = FindingsThatFit(
      report, ends, head.size() + tail.size() + kTruncated.size() + end.size(), truncated);
  std::string reply = std::move(head);
  reply.reserve(reply.size() + findings.size() + tail.size() + end.size() + kTruncated.size());
  bool first = true;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (!kept[i]) continue;
    if (!first) reply += ',';
    first = false;
    const std::size_t from = i == 0 ? 0 : ends[i - 1];
    reply.append(findings, from, ends[i] - from);
  }
  reply += tail;
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
