// PHIGUARD_RULES_DIR, PHIGUARD_CONFIG and the system cache's folder and owner are honoured
// only in builds for tests. This file is
// compiled twice: into the unit tests with the build's own setting, and into
// phiguard_overrides_off_test with the gate off, as the `package` preset builds the host.

#include "util/test_overrides.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "config/host_config.h"
#include "util/paths.h"

#ifndef PHIGUARD_EXPECT_TEST_OVERRIDES
#error "tests/CMakeLists.txt says which setting this build has"
#endif

namespace phiguard::util {
namespace {

// Sets the variables for one test and restores the environment after.
class OverrideEnvironment : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("PHIGUARD_RULES_DIR", "/nonexistent/phiguard-empty-rules", 1);
    ::setenv("PHIGUARD_CONFIG", "/nonexistent/phiguard-config.json", 1);
    ::setenv("PHIGUARD_SYSTEM_CACHE_DIR", "/nonexistent/phiguard-system-cache", 1);
    ::setenv("PHIGUARD_SYSTEM_CACHE_OWNER", "4242", 1);
  }
  void TearDown() override {
    ::unsetenv("PHIGUARD_RULES_DIR");
    ::unsetenv("PHIGUARD_CONFIG");
    ::unsetenv("PHIGUARD_SYSTEM_CACHE_DIR");
    ::unsetenv("PHIGUARD_SYSTEM_CACHE_OWNER");
  }
};

TEST_F(OverrideEnvironment, HonouredOnlyWhenTheBuildIsForTests) {
  const bool expected = PHIGUARD_EXPECT_TEST_OVERRIDES != 0;
  EXPECT_EQ(TestOverridesEnabled(), expected);
  EXPECT_EQ(BuiltinRulesDir() == "/nonexistent/phiguard-empty-rules", expected);
  EXPECT_EQ(config::DefaultConfigPath() == "/nonexistent/phiguard-config.json", expected);
  EXPECT_EQ(TestOverride("PHIGUARD_RULES_DIR") != nullptr, expected);
  // An installed host reads only root's system cache, wherever the user's environment
  // points (SECURITY.md "A poisoned compiled-rules cache").
  EXPECT_EQ(SystemCacheDir() == "/nonexistent/phiguard-system-cache", expected);
  EXPECT_EQ(SystemCacheOwner(), expected ? 4242u : 0u);
}

TEST_F(OverrideEnvironment, AMalformedOwnerTrustsRootAlone) {
  ::setenv("PHIGUARD_SYSTEM_CACHE_OWNER", "1000x", 1);
  EXPECT_EQ(SystemCacheOwner(), 0u);
}

TEST_F(OverrideEnvironment, EmptyValuesAreNeverHonoured) {
  ::setenv("PHIGUARD_RULES_DIR", "", 1);
  EXPECT_EQ(TestOverride("PHIGUARD_RULES_DIR"), nullptr);
  EXPECT_NE(BuiltinRulesDir(), "");
}

}  // namespace
}  // namespace phiguard::util
