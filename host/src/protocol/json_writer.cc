#include "protocol/json_writer.h"

#include <charconv>
#include <cstring>

#include "util/utf8.h"

namespace phiguard::protocol {
namespace {

using nlohmann::json;

// Bytes that must be escaped in a JSON string: quote, backslash and control characters.
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void WriteEscapedByte(unsigned char c, std::string& out) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(escaped, sizeof(escaped));
    }
  }
}

void WriteString(std::string_view text, std::string& out) {
  if (!util::IsValidUtf8(text)) {
    // Rare (our replies carry our own validated strings): nlohmann's replacement rules.
    out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!NeedsEscape(c)) continue;
    out.append(text, run, i - run);
    WriteEscapedByte(c, out);
    run = i + 1;
  }
  out.append(text, run, std::string::npos);
  out += '"';
}

template <typename Number>
void WriteInteger(Number number, std::string& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), number);
  out.append(buffer, result.ptr);
}

void WriteFloat(double number, std::string& out) {
  // nlohmann writes the shortest round-trip digits, and ".0" after a whole number; other
  // forms (NaN, infinities, exponents) are left to it.
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), number);
  const std::string_view digits(buffer, static_cast<std::size_t>(result.ptr - buffer));
  if (result.ec != std::errc() || digits.find_first_of("eEni") != std::string_view::npos) {
    out += json(number).dump();
    return;
  }
  out += digits;
  if (digits.find('.') == std::string_view::npos) out += ".0";
}

}  // namespace

void WriteJsonString(std::string_view text, std::string& out) { WriteString(text, out); }
void WriteJsonNumber(std::uint64_t number, std::string& out) { WriteInteger(number, out); }
void WriteJsonNumber(double number, std::string& out) { WriteFloat(number, out); }

void WriteJson(const json& value, std::string& out) {
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        WriteString(key, out);
        out += ':';
        WriteJson(item, out);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        WriteJson(item, out);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      WriteString(value.get_ref<const std::string&>(), out);
      return;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case json::value_t::number_integer:
      WriteInteger(value.get<std::int64_t>(), out);
      return;
    case json::value_t::number_unsigned:
      WriteInteger(value.get<std::uint64_t>(), out);
      return;
    case json::value_t::number_float:
      WriteFloat(value.get<double>(), out);
      return;
    case json::value_t::null:
    case json::value_t::discarded:
    case json::value_t::binary:
    default:
      out += value.dump(-1, ' ', false, json::error_handler_t::replace);
      return;
  }
}

}  // namespace phiguard::protocol
