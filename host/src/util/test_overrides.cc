#include "util/test_overrides.h"

#include <cstdlib>

#ifndef PHIGUARD_TEST_OVERRIDES
#error "PHIGUARD_TEST_OVERRIDES must be defined to 0 or 1 (host/CMakeLists.txt does)"
#endif
#if PHIGUARD_TEST_OVERRIDES && !defined(PHIGUARD_SOURCE_RULES_DIR)
#error "a build for tests needs PHIGUARD_SOURCE_RULES_DIR (host/CMakeLists.txt sets it)"
#endif

namespace phiguard::util {

bool TestOverridesEnabled() { return PHIGUARD_TEST_OVERRIDES != 0; }

const char* TestOverride(const char* name) {
  if (!TestOverridesEnabled()) return nullptr;
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

const char* BuildTreeRulesDir() {
#if PHIGUARD_TEST_OVERRIDES
  return PHIGUARD_SOURCE_RULES_DIR;
#else
  return nullptr;
#endif
}

}  // namespace phiguard::util
