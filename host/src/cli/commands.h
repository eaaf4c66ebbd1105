#pragma once
// The `phiguard` subcommands. Each Add*Command registers one subcommand (with its own
// --help) on the app; when CLI11 runs the callback it stores the process exit code in
// `exit_code`. Exit codes follow docs/design.md: 0 clean, 1 findings at or above --fail-on
// (or a failed check), 2 usage or input errors.

#include <CLI/CLI.hpp>

namespace phiguard::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
// A bug or an exhausted machine, caught at main() (the sysexits.h EX_SOFTWARE value).
inline constexpr int kExitInternal = 70;

void AddScanCommand(CLI::App& app, int& exit_code);
void AddRulesCommand(CLI::App& app, int& exit_code);
// keygen, bundle and verify, registered under `rules`.
void AddBundleCommands(CLI::App& rules, int& exit_code);
// update (a bundle check now), registered under `rules`.
void AddUpdateCommand(CLI::App& rules, int& exit_code);
// explain, registered under `rules`.
void AddExplainCommand(CLI::App& rules, int& exit_code);
void AddVersionCommand(CLI::App& app, int& exit_code);
// audit report (host/src/cli/audit_command.cc).
void AddAuditCommands(CLI::App& app, int& exit_code);
// install, uninstall and doctor (host/src/cli/install_command.cc).
void AddInstallCommands(CLI::App& app, int& exit_code);

}  // namespace phiguard::cli
