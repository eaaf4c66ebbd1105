#pragma once
// Where PHI Guard keeps its files on this machine (XDG base directories on Linux,
// ~/Library on macOS), and where the built-in rule packs are.

#include <filesystem>

namespace phiguard::util {

// $XDG_STATE_HOME/phiguard (default ~/.local/state/phiguard): logs, the stored bundle.
// ~ is $HOME, else this user's home from the password database; with neither, the folder
// is below $XDG_RUNTIME_DIR (when it is this user's, mode 0700), else empty: there is no
// per-user place, and callers go without (never a shared folder such as /tmp).
std::filesystem::path StateDir();
// $XDG_CACHE_HOME/phiguard (default ~/.cache/phiguard): compiled rule databases. The same
// fallbacks; empty means no cache.
std::filesystem::path CacheDir();

// The directory of built-in packs: $PHIGUARD_RULES_DIR if set and this build honours test
// overrides (util/test_overrides.h); else the installed
// <prefix>/share/phiguard/rules/packs next to the running program, whether or not it exists
// (a missing folder is an error that names it); builds for tests fall back to the source
// tree's rules/packs when that folder is missing (they run from build/).
std::filesystem::path BuiltinRulesDir();

// The running program's own path (from /proc/self/exe on Linux).
std::filesystem::path ExecutablePath();

}  // namespace phiguard::util
