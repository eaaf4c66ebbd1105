#include "protocol/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace phiguard::protocol {
namespace {

using nlohmann::json;

// The writer must produce exactly what nlohmann's compact dump does (the golden exchanges
// and the extension were written against it), for every kind of value a reply holds.
TEST(JsonWriter, WritesWhatNlohmannDumpWrites) {
  const json cases[] = {
      json::object(),
      json::array(),
      nullptr,
      true,
      false,
      0,
      -7,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      0.9,
      1.0,
      0.33,
      100.0,
      -2.5,
      1e-7,
      1e300,
      std::nan(""),
      std::numeric_limits<double>::infinity(),
      "plain",
      "",
      "quote \" backslash \\ slash / tab \t newline \n cr \r bell \x07 nul-free \x1f",
      "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\x94 \xe2\x80\xa8",
      "invalid \xff byte",
      json{{"type", "result"},
           {"findings",
            json::array({json{{"rule", "phi.ssn"}, {"start", 3}, {"confidence", 0.95}}})},
           {"truncated", true},
           {"id", "x\"y"},
           {"b", nullptr},
           {"a", json::array({1, 2.5})}},
  };
  for (const auto& value : cases) {
    std::string ours;
    WriteJson(value, ours);
    EXPECT_EQ(ours, value.dump(-1, ' ', false, json::error_handler_t::replace)) << ours;
  }
}

}  // namespace
}  // namespace phiguard::protocol
