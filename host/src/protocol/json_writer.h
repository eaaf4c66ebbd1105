#pragma once
// Compact JSON serialisation of a reply, byte-for-byte what nlohmann's dump() writes for
// the values replies hold, several times faster: a 1 KB post with 46 findings has an 18 KB
// reply (title, message and advice per finding), and nlohmann escapes it a code point at
// a time, which cost more than the scan. Strings are copied in runs of bytes that need no
// escaping; numbers use std::to_chars.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace phiguard::protocol {

// Appends `value` to `out` as compact JSON (no spaces, non-ASCII UTF-8 kept as is).
// Strings that are not valid UTF-8 are written as nlohmann writes them with
// error_handler_t::replace (U+FFFD for each bad byte).
void WriteJson(const nlohmann::json& value, std::string& out);

// The pieces, for replies written without a JSON tree (protocol/messages.cc): a string
// (quoted and escaped as above), an unsigned integer, and a double as nlohmann writes it.
void WriteJsonString(std::string_view text, std::string& out);
void WriteJsonNumber(std::uint64_t number, std::string& out);
void WriteJsonNumber(double number, std::string& out);

}  // namespace phiguard::protocol
