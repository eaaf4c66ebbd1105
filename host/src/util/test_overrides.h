#pragma once
// Environment variables that point the host at other rules or another configuration
// (PHIGUARD_RULES_DIR, PHIGUARD_CONFIG). Tests need them; in an installed host they would
// let the monitored user, who controls the browser's environment, swap the built-in packs
// for empty ones or drop the trusted keys and system packs (SECURITY.md). So they are read
// only in builds made for tests: CMake option PHIGUARD_TEST_OVERRIDES, on in the dev,
// release and asan presets, off by default and in the `package` preset packages are made
// from (CPack refuses a build with it on).

namespace phiguard::util {

// Whether this build honours the variables below.
bool TestOverridesEnabled();

// The value of `name` (a PHIGUARD_* variable) when this build honours test overrides and
// it is set and non-empty; otherwise null.
const char* TestOverride(const char* name);

}  // namespace phiguard::util
