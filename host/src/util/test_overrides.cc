#include "util/test_overrides.h"

#include <cstdlib>

#ifndef PHIGUARD_TEST_OVERRIDES
#error "PHIGUARD_TEST_OVERRIDES must be defined to 0 or 1 (host/CMakeLists.txt does)"
#endif

namespace phiguard::util {

bool TestOverridesEnabled() { return PHIGUARD_TEST_OVERRIDES != 0; }

const char* TestOverride(const char* name) {
  if (!TestOverridesEnabled()) return nullptr;
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

}  // namespace phiguard::util
