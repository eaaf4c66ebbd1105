#pragma once
// JSON shapes of wire protocol v1 (docs/design.md): replies built from engine results, and
// error replies. Replies never echo the scanned text or a matched substring.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "protocol/error_codes.h"

namespace phiguard::protocol {

inline constexpr int kProtocolVersion = 1;

// `{"type":"error","code":…,"message":…}` with the request's id when it had a usable one.
nlohmann::json ErrorReply(ErrorCode code, std::string_view message,
                          const nlohmann::json* id = nullptr);

// What a `result` carries besides the report.
struct ResultFields {
  const nlohmann::json* id = nullptr;  // the request's id, when it had a usable one
  const std::string* file = nullptr;   // `phiguard scan --json`: the input's name
  bool byte_offsets = false;           // `phiguard scan --json`: byte_start/byte_end too
  // The request's "rule_details": "once": each rule's title, message, advice, category,
  // kind and severity go once in a `rule_details` object keyed by rule id instead of in
  // every finding (a long post's reply with 1,600 findings: 470 KB -> about a third;
  // docs/protocol.md).
  bool rule_details_once = false;
};

// The `result` reply, serialised (compact, keys sorted, as Serialize writes JSON). Keeps
// the most severe findings, in text order, when there are more than the reply limits
// allow, and then says "truncated": true.
std::string ResultReply(const engine::ScanReport& report, const ResultFields& fields = {});

// The `rules` object of `hello` and `configured`.
nlohmann::json RulesSummary(const scan::CompiledRules& rules);

// Serialises a reply for the wire. Invalid UTF-8 never reaches here (requests are
// validated), but `replace` keeps a bug from becoming a crash.
std::string Serialize(const nlohmann::json& reply);

}  // namespace phiguard::protocol
