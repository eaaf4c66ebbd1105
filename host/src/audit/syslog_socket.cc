#include "audit/syslog_socket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace phiguard::audit {
namespace {

// RFC 3164 PRI: facility user (1) * 8 + severity informational (6).
constexpr int kUserInfoPriority = 1 * 8 + 6;

}  // namespace

std::string FormatSyslogMessage(std::string_view ident, long pid, std::time_t when,
                                std::string_view message) {
  std::tm local{};
  localtime_r(&when, &local);
  char stamp[32];
  // "Nov  2 09:04:05": the day is space-padded, as syslog(3) and RFC 3164 write it.
  std::strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &local);
  std::string out = "<" + std::to_string(kUserInfoPriority) + ">" + stamp + " ";
  out.append(ident);
  out += "[" + std::to_string(pid) + "]: ";
  out.append(message);
  return out;
}

SyslogSocket::SyslogSocket(std::filesystem::path socket_path, std::string ident)
    : path_(std::move(socket_path)), ident_(std::move(ident)) {}

SyslogSocket::~SyslogSocket() { Close(); }

void SyslogSocket::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool SyslogSocket::Connect() {
  if (fd_ >= 0) return true;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = path_.string();
  if (path.empty() || path.size() >= sizeof(address.sun_path)) return false;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  // Non-blocking: a stalled syslog daemon must never stall a scan reply.
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return false;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return false;
  }
  fd_ = fd;
  return true;
}

bool SyslogSocket::Send(std::string_view message) {
  const std::string datagram =
      FormatSyslogMessage(ident_, static_cast<long>(::getpid()), std::time(nullptr), message);
  // A second attempt on a fresh connection covers a daemon that restarted since the last
  // record (the old socket is gone: ECONNREFUSED, ENOTCONN).
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!Connect()) return false;
    const ssize_t sent = ::send(fd_, datagram.data(), datagram.size(), MSG_NOSIGNAL);
    if (sent == static_cast<ssize_t>(datagram.size())) return true;
    const bool retry = sent < 0 && (errno == ECONNREFUSED || errno == ENOTCONN || errno == EPIPE);
    Close();
    if (!retry) return false;
  }
  return false;
}

}  // namespace phiguard::audit
