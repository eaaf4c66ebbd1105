# Every dependency comes from Debian's packages; scripts/install-deps.sh installs them.
find_package(PkgConfig REQUIRED)
# Hyperscan through pkg-config's libhs, so Debian's libvectorscan-dev (same name, same
# 5.4 API) builds too. See docs/design.md "Engine".
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
# CLI11: subcommands with --help each, which a hand-written parser would do worse.
find_package(CLI11 REQUIRED)
# libsodium: Ed25519 signatures on rule bundles, from a well-kept library, not our own crypto.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# libcurl: HTTPS with the system's trust store, redirects and conditional requests for
# bundle updates; writing our own TLS client would be the wrong place to save a dependency.
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
find_package(Threads REQUIRED)
