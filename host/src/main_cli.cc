// phiguard: the command line for people and scripts. Thin: register subcommands, parse,
// and turn the outcome into one exit code.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <typeinfo>

#include "cli/commands.h"
#include "util/allocator_tuning.h"
#include "util/logging.h"
#include "version.h"

namespace {

int Run(int argc, char** argv) {
  phiguard::util::TuneAllocatorForScanning();
  phiguard::util::InitLogging("phiguard");
  CLI::App app{"PHI Guard: find protected health information in text before it is posted"};
  app.set_version_flag("--version", PHIGUARD_VERSION);
  app.require_subcommand(1);
  int exit_code = phiguard::cli::kExitClean;
  phiguard::cli::AddScanCommand(app, exit_code);
  phiguard::cli::AddRulesCommand(app, exit_code);
  phiguard::cli::AddVersionCommand(app, exit_code);
  phiguard::cli::AddInstallCommands(app, exit_code);
  phiguard::cli::AddAuditCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help or the usage error
    return rc == 0 ? phiguard::cli::kExitClean : phiguard::cli::kExitUsage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // A bug, or the machine out of memory: say so instead of aborting. Only the exception's
  // type is named: its message may quote the input (a JSON error quotes the bytes).
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "phiguard: internal error (%s)\n", typeid(e).name());
  } catch (...) {
    std::fputs("phiguard: internal error\n", stderr);
  }
  return phiguard::cli::kExitInternal;
}
