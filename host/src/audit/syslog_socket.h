#pragma once
// Sends audit records to the local syslog socket (/dev/log: journald or rsyslog), where an
// organisation's SIEM collects them. Our own sender rather than syslog(3): the socket path
// is configurable (containers and tests point it elsewhere), a failed send is reported to
// the caller instead of vanishing, and no process-global openlog() state is touched.

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>

namespace phiguard::audit {

class SyslogSocket {
 public:
  // ident is the tag in front of each message ("phiguard"). Nothing is opened yet.
  SyslogSocket(std::filesystem::path socket_path, std::string ident);
  ~SyslogSocket();
  SyslogSocket(const SyslogSocket&) = delete;
  SyslogSocket& operator=(const SyslogSocket&) = delete;

  // One datagram "<14>Mmm dd hh:mm:ss ident[pid]: message" (facility user, severity info,
  // the format syslog(3) writes). Connects on first use and again after the daemon went
  // away. Returns false when the record could not be handed over.
  bool Send(std::string_view message);

  const std::filesystem::path& path() const { return path_; }

 private:
  bool Connect();
  void Close();

  std::filesystem::path path_;
  std::string ident_;
  int fd_ = -1;
};

// The datagram Send() writes, for a given local time and pid (exposed for tests).
std::string FormatSyslogMessage(std::string_view ident, long pid, std::time_t when,
                                std::string_view message);

}  // namespace phiguard::audit
