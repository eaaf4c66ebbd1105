#pragma once
// The opt-in audit trail: one JSON Lines record per decision, in a rotated local file and
// optionally syslog/journald, where the organisation's SIEM collects it.

#include <memory>
#include <string>

#include "audit/audit_event.h"
#include "audit/syslog_socket.h"
#include "config/host_config.h"

namespace spdlog {
class logger;
}

namespace phiguard::audit {

class AuditLog {
 public:
  // Off until Configure() enables it.
  AuditLog() = default;

  // Turns the trail on or off with these settings; errors (an unwritable file) are
  // returned and leave the trail off.
  util::Result<bool> Configure(const config::AuditConfig& config);
  bool enabled() const { return logger_ != nullptr; }

  // Appends one record when enabled. Returns whether a record was written.
  bool Record(const AuditEvent& event);

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<SyslogSocket> syslog_;  // when the configuration asks for syslog too
  bool syslog_failing_ = false;           // so a missing daemon is logged once, not per record
  std::string device_;                    // audit.device_identity's value, or empty
};

}  // namespace phiguard::audit
