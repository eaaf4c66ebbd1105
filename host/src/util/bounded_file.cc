#include "util/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace phiguard::util {
namespace {

// Closes the descriptor on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string Limit(std::size_t bytes) {
  if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
  if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

Result<std::string> ReadFileBounded(const std::filesystem::path& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0)
    return Error{path.string(), std::string("cannot open: ") + std::strerror(errno)};
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return Error{path.string(), "cannot stat"};
  if (!S_ISREG(info.st_mode)) return Error{path.string(), "not a regular file"};
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    return Error{path.string(), "larger than " + Limit(max_bytes) + " (" +
                                    std::to_string(info.st_size) + " bytes); not read"};
  }
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t filled = 0;
  while (true) {
    if (filled == bytes.size()) {
      // The file may have grown since fstat: read on, up to one byte past the limit.
      if (bytes.size() > max_bytes) break;
      bytes.resize(std::min(max_bytes + 1, bytes.size() + 64 * 1024));
    }
    const ssize_t got = ::read(fd.get(), bytes.data() + filled, bytes.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Error{path.string(), std::string("cannot read: ") + std::strerror(errno)};
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  if (filled > max_bytes) {
    return Error{path.string(), "grew past " + Limit(max_bytes) + " while being read"};
  }
  bytes.resize(filled);
  return bytes;
}

}  // namespace phiguard::util
