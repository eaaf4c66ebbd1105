#pragma once
// The protocol's error codes, in one place for the C++ side (docs/design.md "Wire protocol").
// tests/e2e/golden/errors.response.jsonl holds the names the host must answer with
// (tests/e2e/run_golden.py); the extension keeps no table of them.

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
