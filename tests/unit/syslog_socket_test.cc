#include "audit/syslog_socket.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace phiguard::audit {
namespace {

TEST(SyslogSocket, FormatsLikeSyslog3) {
  // 2026-11-02 09:04:05 UTC; the day is space-padded, PRI 14 is user.info.
  setenv("TZ", "UTC", 1);
  tzset();
  EXPECT_EQ(FormatSyslogMessage("phiguard", 42, 1793610245, R"({"outcome":"edited"})"),
            R"(<14>Nov  2 09:04:05 phiguard[42]: {"outcome":"edited"})");
}

// A datagram socket standing in for the syslog daemon.
class FakeDaemon {
 public:
  explicit FakeDaemon(const std::filesystem::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    timeval timeout{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~FakeDaemon() { ::close(fd_); }
  bool bound() const { return bound_; }
  std::string Receive() {
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

TEST(SyslogSocket, DeliversAndSurvivesADaemonRestart) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("phiguard-syslog-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "log.sock";
  SyslogSocket sender(path, "phiguard");
  EXPECT_FALSE(sender.Send("no daemon yet")) << "nothing listens: the send must say so";
  {
    FakeDaemon daemon(path);
    ASSERT_TRUE(daemon.bound());
    ASSERT_TRUE(sender.Send("first"));
    EXPECT_TRUE(daemon.Receive().ends_with("]: first"));
  }
  // The daemon went away and came back on the same path: the next record finds it.
  std::filesystem::remove(path);
  EXPECT_FALSE(sender.Send("while away"));
  {
    FakeDaemon daemon(path);
    ASSERT_TRUE(daemon.bound());
    ASSERT_TRUE(sender.Send("second"));
    EXPECT_TRUE(daemon.Receive().ends_with("]: second"));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace phiguard::audit
