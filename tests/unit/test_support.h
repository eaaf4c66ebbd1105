#pragma once
// Small helpers shared by unit tests: building rule sets from inline pack JSON.

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>

#include "rules/pack_loader.h"
#include "scan/compiled_rules.h"

namespace phiguard::testing {

// A pack document with the given rules array (JSON text) and the usual header fields.
inline std::string PackJson(const std::string& rules_array) {
  return R"({"pack":"test","version":"1.0.0","description":"unit test pack","rules":)" +
         rules_array + "}";
}

// Compiles inline pack JSON without touching the on-disk cache; fails the test on error.
inline std::shared_ptr<const scan::CompiledRules> CompileInline(const std::string& pack_json) {
  auto pack = rules::ParsePack(pack_json, "inline.json");
  EXPECT_TRUE(pack.ok()) << (pack.ok() ? "" : pack.error().Describe());
  if (!pack.ok()) return nullptr;
  std::vector<rules::Pack> packs;
  packs.push_back(std::move(pack).value());
  auto built = scan::CompiledRules::Build(std::move(packs), {});
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().Describe());
  return built.ok() ? built.value() : nullptr;
}

// One rule object with sensible defaults; `extra` is spliced in (e.g. `"pattern":"x"`).
inline std::string RuleJson(const std::string& id, const std::string& extra,
                            const std::string& category = "other_id",
                            const std::string& action = "warn") {
  return R"({"id":")" + id + R"(","title":"t","category":")" + category +
         R"(","kind":"phi","severity":"high","action":")" + action +
         R"(","message":"m","examples":["x"],)" + extra + "}";
}

// A GoogleTest parameter name from a row's `name`: letters and digits, the rest '_'.
struct RowName {
  template <typename ParamInfo>
  std::string operator()(const ParamInfo& param_info) const {
    std::string name = param_info.param.name;
    for (char& ch : name) {
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    return name;
  }
};

}  // namespace phiguard::testing
