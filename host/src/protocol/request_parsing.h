#pragma once
// Reading one request frame as JSON: the wire format's checks (UTF-8, nesting depth, an
// object), before any handler sees it. What a request asks for is service/'s business.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace phiguard::protocol {

// A frame read as a request: `request` is a JSON object, or `error_reply` is the serialised
// reply that answers the frame instead.
struct ParsedRequest {
  nlohmann::json request;
  std::string error_reply;
};

ParsedRequest ParseRequest(std::string_view payload);

// The request's `id` when it is one a reply may carry (a number or a string), else null.
const nlohmann::json* UsableId(const nlohmann::json& request);

}  // namespace phiguard::protocol
