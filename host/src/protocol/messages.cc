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

json FindingToJson(const scan::Finding& finding, bool byte_offsets) {
  const auto& rule = *finding.rule;
  // Filled through the object's map directly: nlohmann's initializer-list form builds a
  // temporary array per pair, which made building a reply cost more than the scan.
  json::object_t out;
  out.emplace("rule", rule.id);
  out.emplace("category", rule.category);
  out.emplace("kind", rules::ToString(rule.kind));
  out.emplace("severity", rules::ToString(rule.severity));
  out.emplace("action", rules::ToString(finding.action));
  out.emplace("start", finding.original.utf16_start);
  out.emplace("end", finding.original.utf16_end);
  out.emplace("confidence", std::round(finding.confidence * 100) / 100);
  out.emplace("title", rule.title);
  out.emplace("message", rule.message);
  out.emplace("advice", rule.advice);
  if (byte_offsets) {
    out.emplace("byte_start", finding.original.byte_start);
    out.emplace("byte_end", finding.original.byte_end);
  }
  return json(std::move(out));
}

namespace {

// At most this many bytes once serialised: every string escaped at its worst (a control
// character becomes \u00XX, six bytes), plus a generous allowance for keys and numbers.
std::size_t UpperBoundOfSize(const engine::ScanReport& report,
                             const std::vector<const scan::Finding*>& findings) {
  constexpr std::size_t kWorstEscape = 6;
  constexpr std::size_t kFixedPerFinding = 256;  // keys, punctuation, offsets, enums
  std::size_t bound = 256 + kWorstEscape * report.rules_version.size();
  for (const auto* finding : findings) {
    const auto& rule = *finding->rule;
    bound += kFixedPerFinding +
             kWorstEscape * (rule.id.size() + rule.category.size() + rule.title.size() +
                             rule.message.size() + rule.advice.size());
  }
  return bound;
}

json FindingsArray(const std::vector<const scan::Finding*>& findings, bool byte_offsets) {
  json::array_t array;
  array.reserve(findings.size());
  for (const auto* finding : findings) array.push_back(FindingToJson(*finding, byte_offsets));
  return json(std::move(array));
}

}  // namespace

json ResultToJson(const engine::ScanReport& report, bool byte_offsets) {
  json result = {{"type", "result"},
                 {"verdict", policy::ToString(report.verdict)},
                 {"rules_version", report.rules_version},
                 {"scan_us", report.scan_us}};
  std::vector<const scan::Finding*> kept;
  kept.reserve(report.findings.size());
  for (const auto& finding : report.findings) kept.push_back(&finding);

  bool truncated = kept.size() > kMaxFindingsPerReply;
  if (truncated) {
    std::sort(kept.begin(), kept.end(),
              [](const auto* a, const auto* b) { return scan::IsStronger(*a, *b); });
    kept.resize(kMaxFindingsPerReply);
  }
  result["findings"] = FindingsArray(kept, byte_offsets);
  // Findings are a few hundred bytes each; halve until the reply fits. Rare path: only when
  // an upper bound of the serialised size passes the cap is the reply serialised to check
  // (the caller serialises it anyway; doing it twice per scan doubled the reply's cost).
  const bool surely_fits = UpperBoundOfSize(report, kept) <= kMaxReplyBytes;
  while (!surely_fits && Serialize(result).size() > kMaxReplyBytes && !kept.empty()) {
    if (!truncated) {
      std::sort(kept.begin(), kept.end(),
                [](const auto* a, const auto* b) { return scan::IsStronger(*a, *b); });
    }
    truncated = true;
    kept.resize(kept.size() / 2);
    result["findings"] = FindingsArray(kept, byte_offsets);
  }
  if (truncated) {
    std::vector<const scan::Finding*> ordered = kept;
    std::sort(ordered.begin(), ordered.end(),
              [](const auto* a, const auto* b) { return a->start < b->start; });
    result["findings"] = FindingsArray(ordered, byte_offsets);
    result["truncated"] = true;
  }
  return result;
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
