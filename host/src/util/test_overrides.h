#pragma once
// Environment variables that point the host at other rules or another configuration
// (PHIGUARD_RULES_DIR, PHIGUARD_CONFIG). Tests need them; in an installed host they would
// let the monitored user, who controls the browser's environment, swap the built-in packs
// for empty ones or drop the trusted keys and system packs (SECURITY.md). So they are read
// only by programs built for tests: CMake option PHIGUARD_TEST_OVERRIDES, on in the dev,
// release and asan presets. The decision is made at link time, by which of two objects
// compiled from test_overrides.cc a program links (host/CMakeLists.txt): the programs a
// package installs always link the one with the gate off, in every build tree, so no
// configuration can package a host that honours them, and the layers are compiled once
// for both.

namespace phiguard::util {

// Whether this build honours the variables below.
bool TestOverridesEnabled();

// The value of `name` (a PHIGUARD_* variable) when this build honours test overrides and
// it is set and non-empty; otherwise null.
const char* TestOverride(const char* name);

// The source tree's rule packs, for a program built for tests and run from the build tree
// (set by CMake); null in a program built to be installed.
const char* BuildTreeRulesDir();

}  // namespace phiguard::util
