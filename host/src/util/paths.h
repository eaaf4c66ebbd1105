#pragma once
// Where PHI Guard keeps its files on this machine (XDG base directories on Linux,
// ~/Library on macOS), where the built-in rule packs are, and the machine-wide folders
// root writes for every user.

#include <sys/types.h>

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

// The system cache of compiled rule databases, written by root (`phiguard rules compile
// --system-cache`, run by the packages) and read by every user's host before its own
// cache: /var/cache/phiguard on Linux, /Library/Caches/PHI Guard on macOS,
// %ProgramData%\PHI Guard\cache on Windows. $PHIGUARD_SYSTEM_CACHE_DIR in builds for
// tests (util/test_overrides.h): an installed host must not be pointed at a folder the
// monitored user prepared.
std::filesystem::path SystemCacheDir();
// Who must own the system cache and its files for a host to use them: root (0). In builds
// for tests, $PHIGUARD_SYSTEM_CACHE_OWNER (a uid) instead, so tests that cannot be root can
// write and read one.
uid_t SystemCacheOwner();

// The directory of built-in packs: $PHIGUARD_RULES_DIR if set and this build honours test
// overrides (util/test_overrides.h); else the installed
// <prefix>/share/phiguard/rules/packs next to the running program, whether or not it exists
// (a missing folder is an error that names it); builds for tests fall back to the source
// tree's rules/packs when that folder is missing (they run from build/).
std::filesystem::path BuiltinRulesDir();

// The running program's own path (from /proc/self/exe on Linux).
std::filesystem::path ExecutablePath();

}  // namespace phiguard::util
