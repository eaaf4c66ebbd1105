#include "audit/audit_log.h"

#include <fcntl.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include "audit/device_identity.h"
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

// Audit files are readable by their owner only (0600): a record names sites, rules and
// what the user chose, which other users of the machine have no business reading. The
// file is created 0600 before spdlog opens it (so it is never briefly wider), and one that
// already exists, or a new file after rotation, is narrowed once open.
spdlog::file_event_handlers OwnerOnlyFiles() {
  spdlog::file_event_handlers handlers;
  handlers.before_open = [](const spdlog::filename_t& name) {
    // O_NONBLOCK: should a FIFO appear here after the check above, fail instead of waiting.
    const int fd =
        ::open(name.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd >= 0) ::close(fd);
  };
  handlers.after_open = [](const spdlog::filename_t&, std::FILE* file) {
    if (file) ::fchmod(::fileno(file), 0600);
  };
  return handlers;
}

}  // namespace

util::Result<bool> AuditLog::Configure(const config::AuditConfig& config) {
  logger_.reset();
  syslog_.reset();
  syslog_failing_ = false;
  device_.clear();
  if (!config.enabled) return false;
  const auto state = util::StateDir();
  if (config.file.empty() && state.empty()) {
    return util::Error{"audit", "no per-user state folder for audit.jsonl; set audit.file"};
  }
  const auto path = config.file.empty() ? state / "audit.jsonl" : config.file;
  // Only a regular file (or none yet): opening a FIFO for writing blocks until a reader
  // comes, and the host would stop answering; a device or folder is a mistake. A symlink
  // is followed only to a regular file.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return util::Error{path.string(), "the audit file is not a regular file; audit not enabled"};
  }
  try {
    std::filesystem::create_directories(path.parent_path());
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        path.string(), config.max_bytes, config.max_files, /*rotate_on_open=*/false,
        OwnerOnlyFiles()));
    auto logger = std::make_shared<spdlog::logger>("audit", sinks.begin(), sinks.end());
    logger->set_pattern("%v");  // the record is the whole line
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::info);
    logger_ = std::move(logger);
    if (config.syslog) syslog_ = std::make_unique<SyslogSocket>(config.syslog_socket, "phiguard");
    device_ = ThisDevice(config.device_identity);
  } catch (const std::exception&) {
    return util::Error{path.string(), "cannot open the audit file"};
  }
  return true;
}

bool AuditLog::Record(const AuditEvent& event) {
  if (!logger_) return false;
  AuditEvent stamped = event;
  stamped.device = device_;
  const std::string record = ToRecord(stamped, NowUtc());
  logger_->info(record);
  if (syslog_) {
    const bool sent = syslog_->Send(record);
    if (!sent && !syslog_failing_) {
      // The path only: records hold no text, but the log needs none of them either.
      spdlog::warn("audit: syslog socket {} unavailable; records go to the file only",
                   syslog_->path().string());
    }
    syslog_failing_ = !sent;
  }
  return true;
}

}  // namespace phiguard::audit
