#pragma once
// The protocol's error codes, in one place for the C++ side (DESIGN.md "Wire protocol v1";
// tests/protocol/*.json holds the same names for the JavaScript side).

#include <string_view>

namespace phiguard::protocol {

enum class ErrorCode { kBadJson, kBadRequest, kTooLarge, kUnsupported, kInternal };

constexpr std::string_view ToString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadJson:
      return "bad_json";
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace phiguard::protocol
