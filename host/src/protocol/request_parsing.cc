#include "protocol/request_parsing.h"

#include <stdexcept>

#include "protocol/error_codes.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "util/utf8.h"

namespace phiguard::protocol {

using nlohmann::json;

namespace {

// Parses with a depth limit: nlohmann's parser is iterative, but a hostile frame of
// nested arrays still costs memory per level, and no valid request nests deeply.
json ParseBounded(std::string_view payload, bool& too_deep) {
  too_deep = false;
  std::size_t depth = 0;
  const json::parser_callback_t limit = [&](int, json::parse_event_t event, json&) {
    if (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) {
      if (++depth > kMaxJsonDepth) {
        too_deep = true;
        throw std::length_error("nesting");
      }
    } else if (event == json::parse_event_t::object_end ||
               event == json::parse_event_t::array_end) {
      --depth;
    }
    return true;
  };
  try {
    return json::parse(payload, limit, /*allow_exceptions=*/false);
  } catch (const std::length_error&) {
    return json(json::value_t::discarded);
  }
}

}  // namespace

ParsedRequest ParseRequest(std::string_view payload) {
  if (!util::IsValidUtf8(payload)) {
    return {{}, Serialize(ErrorReply(ErrorCode::kBadJson, "frame is not valid UTF-8"))};
  }
  bool too_deep = false;
  json request = ParseBounded(payload, too_deep);
  if (request.is_discarded()) {
    return {{},
            Serialize(ErrorReply(ErrorCode::kBadJson,
                                 too_deep ? "JSON nests too deeply" : "frame is not valid JSON"))};
  }
  if (!request.is_object()) {
    return {{}, Serialize(ErrorReply(ErrorCode::kBadRequest, "a request must be a JSON object"))};
  }
  return {std::move(request), {}};
}

const json* UsableId(const json& request) {
  const auto it = request.find("id");
  if (it == request.end() || !(it->is_number() || it->is_string())) return nullptr;
  return &*it;
}

}  // namespace phiguard::protocol
