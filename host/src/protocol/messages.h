#pragma once
// JSON shapes of wire protocol v1 (DESIGN.md): replies built from engine results, and
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

// One finding. With `byte_offsets`, also `byte_start`/`byte_end` (the CLI's --json).
nlohmann::json FindingToJson(const scan::Finding& finding, bool byte_offsets = false);

// The `result` object. Keeps the most severe findings when there are more than the reply
// limits allow, and then says "truncated": true.
nlohmann::json ResultToJson(const engine::ScanReport& report, bool byte_offsets = false);

// The `rules` object of `hello` and `configured`.
nlohmann::json RulesSummary(const scan::CompiledRules& rules);

// Serialises a reply for the wire. Invalid UTF-8 never reaches here (requests are
// validated), but `replace` keeps a bug from becoming a crash.
std::string Serialize(const nlohmann::json& reply);

}  // namespace phiguard::protocol
