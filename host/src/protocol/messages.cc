#include "protocol/messages.h"

#include <algorithm>

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
  json out = {{"rule", rule.id},
              {"category", rule.category},
              {"kind", rules::ToString(rule.kind)},
              {"severity", rules::ToString(rule.severity)},
              {"action", rules::ToString(finding.action)},
              {"start", finding.original.utf16_start},
              {"end", finding.original.utf16_end},
              {"confidence", std::round(finding.confidence * 100) / 100},
              {"title", rule.title},
              {"message", rule.message},
              {"advice", rule.advice}};
  if (byte_offsets) {
    out["byte_start"] = finding.original.byte_start;
    out["byte_end"] = finding.original.byte_end;
  }
  return out;
}

namespace {

json FindingsArray(const std::vector<const scan::Finding*>& findings, bool byte_offsets) {
  json array = json::array();
  for (const auto* finding : findings) array.push_back(FindingToJson(*finding, byte_offsets));
  return array;
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
    std::sort(kept.begin(), kept.end(), [](const auto* a, const auto* b) {
      return scan::IsStronger(*a, *b);
    });
    kept.resize(kMaxFindingsPerReply);
  }
  result["findings"] = FindingsArray(kept, byte_offsets);
  // Findings are a few hundred bytes each; halve until the reply fits. Rare path.
  while (Serialize(result).size() > kMaxReplyBytes && !kept.empty()) {
    if (!truncated) {
      std::sort(kept.begin(), kept.end(), [](const auto* a, const auto* b) {
        return scan::IsStronger(*a, *b);
      });
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
  return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace phiguard::protocol
