#include "audit/audit_log.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "util/paths.h"

namespace phiguard::audit {
namespace {

std::string NowUtc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

util::Result<bool> AuditLog::Configure(const config::AuditConfig& config) {
  logger_.reset();
  if (!config.enabled) return false;
  const auto path = config.file.empty() ? util::StateDir() / "audit.jsonl" : config.file;
  try {
    std::filesystem::create_directories(path.parent_path());
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        path.string(), config.max_bytes, config.max_files));
    if (config.syslog) {
      sinks.push_back(std::make_shared<spdlog::sinks::syslog_sink_mt>("phiguard", 0, LOG_USER,
                                                                      /*enable_formatting=*/true));
    }
    auto logger = std::make_shared<spdlog::logger>("audit", sinks.begin(), sinks.end());
    logger->set_pattern("%v");  // the record is the whole line
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::info);
    logger_ = std::move(logger);
  } catch (const std::exception&) {
    return util::Error{path.string(), "cannot open the audit file"};
  }
  return true;
}

bool AuditLog::Record(const AuditEvent& event) {
  if (!logger_) return false;
  logger_->info(ToRecord(event, NowUtc()));
  return true;
}

}  // namespace phiguard::audit
