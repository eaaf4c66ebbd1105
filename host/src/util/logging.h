#pragma once
// Logging for the host and the CLI. Logs go to a file in StateDir(), never to stdout
// (stdout of phiguard-host carries protocol frames only).
//
// Privacy invariant (docs/design.md): log rule ids, categories, offsets, counts and timings.
// Never pass composed text, a matched substring, or a JSON fragment of a request to a
// log call. tests/e2e/privacy_canary.py checks this end to end.

#include <string_view>

namespace phiguard::util {

// Sets up the default spdlog logger for `program` ("phiguard-host", "phiguard").
// Level from $PHIGUARD_LOG_LEVEL (trace, debug, info, warn, error, off; default info).
// When the log file cannot be opened, logging is off rather than redirected to stdout.
void InitLogging(std::string_view program);

}  // namespace phiguard::util
