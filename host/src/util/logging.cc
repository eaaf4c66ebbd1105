#include "util/logging.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "util/paths.h"

namespace phiguard::util {

void InitLogging(std::string_view program) {
  const std::string name(program);
  std::shared_ptr<spdlog::logger> logger;
  const auto dir = StateDir();
  try {
    // No per-user state folder: stderr, which the browser keeps, never stdout (protocol).
    if (dir.empty()) throw std::runtime_error("no state directory");
    std::filesystem::create_directories(dir);
    // Rotation keeps a long-running host on a busy machine from filling the disk.
    constexpr std::size_t kMaxLogBytes = 1024 * 1024;
    constexpr std::size_t kMaxLogFiles = 3;
    logger = spdlog::rotating_logger_mt(name, (dir / (name + ".log")).string(), kMaxLogBytes,
                                        kMaxLogFiles);
  } catch (const std::exception&) {
    logger =
        std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  const char* level = std::getenv("PHIGUARD_LOG_LEVEL");
  logger->set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  if (dir.empty()) {
    spdlog::error(
        "no per-user folder (HOME unset, no password entry, no XDG_RUNTIME_DIR): logging to "
        "stderr, compiling rules at every start, no stored bundle, audit only to a configured "
        "file");
  }
}

}  // namespace phiguard::util
