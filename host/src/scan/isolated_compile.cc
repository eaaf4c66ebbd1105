#include "scan/isolated_compile.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace phiguard::scan {
namespace {

// AddressSanitizer reserves terabytes of shadow memory, so an address-space limit would
// stop every child under the asan preset; there the time limit alone applies.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCanLimitAddressSpace = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kCanLimitAddressSpace = false;
#else
constexpr bool kCanLimitAddressSpace = true;
#endif
#else
constexpr bool kCanLimitAddressSpace = true;
#endif

// The child's answer on the pipe: one status byte, then for success the database's length
// and bytes, for failure the expression index and the message.
enum class Status : std::uint8_t { kCompiled = 1, kFailed = 2 };

bool WriteAll(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void RunChild(int fd, const std::vector<Expression>& expressions,
                           const CompileLimits& limits) {
  const auto seconds = static_cast<rlim_t>((limits.time.count() + 999) / 1000);
  const rlimit cpu{seconds, seconds + 1};
  ::setrlimit(RLIMIT_CPU, &cpu);
  if (kCanLimitAddressSpace) {
    const rlimit memory{limits.memory_bytes, limits.memory_bytes};
    ::setrlimit(RLIMIT_AS, &memory);
  }
  auto compiled = CompileBlockDatabase(expressions);
  bool ok = false;
  if (auto* db = std::get_if<DatabasePtr>(&compiled)) {
    auto bytes = SerializeDatabase(db->get());
    if (bytes.ok()) {
      const auto status = Status::kCompiled;
      const std::uint64_t length = bytes.value().size();
      ok = WriteAll(fd, &status, 1) && WriteAll(fd, &length, sizeof(length)) &&
           WriteAll(fd, bytes.value().data(), bytes.value().size());
    }
  } else {
    const auto& failure = std::get<CompileFailure>(compiled);
    const auto status = Status::kFailed;
    const std::int32_t index = failure.expression_index;
    const std::uint32_t length = static_cast<std::uint32_t>(failure.message.size());
    ok = WriteAll(fd, &status, 1) && WriteAll(fd, &index, sizeof(index)) &&
         WriteAll(fd, &length, sizeof(length)) &&
         WriteAll(fd, failure.message.data(), failure.message.size());
  }
  // _exit: no atexit handlers or static destructors of the parent's state in the child.
  ::_exit(ok ? 0 : 1);
}

// Reads exactly `size` bytes before `deadline`; false on timeout, EOF or error.
bool ReadAll(int fd, void* data, std::size_t size, std::chrono::steady_clock::time_point deadline,
             bool& timed_out) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      return false;
    }
    pollfd waiting{fd, POLLIN, 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      timed_out = true;
      return false;
    }
    if (ready < 0) return false;
    const ssize_t n = ::read(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string LimitMessage(const CompileLimits& limits, const char* what) {
  if (std::strcmp(what, "time") == 0) {
    return "compiling the rules took longer than " + std::to_string(limits.time.count()) +
           " ms (limit for packs from outside the install)";
  }
  return "compiling the rules needed more than " + std::to_string(limits.memory_bytes >> 20) +
         " MiB (limit for packs from outside the install)";
}

}  // namespace

std::variant<DatabasePtr, CompileFailure> CompileBlockDatabaseIsolated(
    const std::vector<Expression>& expressions, const CompileLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return CompileFailure{-1, "cannot create a pipe"};
  const auto deadline = std::chrono::steady_clock::now() + limits.time;
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return CompileFailure{-1, "cannot start the compiler process"};
  }
  if (child == 0) {
    ::close(fds[0]);
    RunChild(fds[1], expressions, limits);
  }
  ::close(fds[1]);

  bool timed_out = false;
  std::variant<DatabasePtr, CompileFailure> result = CompileFailure{-1, ""};
  Status status{};
  if (ReadAll(fds[0], &status, 1, deadline, timed_out) && status == Status::kCompiled) {
    std::uint64_t length = 0;
    std::string bytes;
    if (ReadAll(fds[0], &length, sizeof(length), deadline, timed_out)) {
      if (length > limits.database_bytes) {
        result = CompileFailure{-1, "the compiled rules are larger than " +
                                        std::to_string(limits.database_bytes >> 20) + " MiB"};
      } else {
        bytes.resize(length);
        if (ReadAll(fds[0], bytes.data(), bytes.size(), deadline, timed_out)) {
          auto db = DeserializeDatabase(bytes);
          if (db.ok()) result = std::move(db).value();
        }
      }
    }
  } else if (!timed_out && status == Status::kFailed) {
    std::int32_t index = -1;
    std::uint32_t length = 0;
    std::string message;
    if (ReadAll(fds[0], &index, sizeof(index), deadline, timed_out) &&
        ReadAll(fds[0], &length, sizeof(length), deadline, timed_out) && length < (1u << 20)) {
      message.resize(length);
      if (ReadAll(fds[0], message.data(), message.size(), deadline, timed_out)) {
        result = CompileFailure{index, std::move(message)};
      }
    }
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int wait_status = 0;
  while (::waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }

  if (std::holds_alternative<DatabasePtr>(result)) return result;
  auto& failure = std::get<CompileFailure>(result);
  const bool out_of_memory = failure.message.find("memory") != std::string::npos ||
                             failure.message.find("alloc") != std::string::npos;
  if (kCanLimitAddressSpace && out_of_memory)
    return CompileFailure{-1, LimitMessage(limits, "memory")};
  if (!failure.message.empty()) return result;
  // No answer from the child: say which limit stopped it.
  if (timed_out || (WIFSIGNALED(wait_status) &&
                    (WTERMSIG(wait_status) == SIGXCPU || WTERMSIG(wait_status) == SIGKILL))) {
    return CompileFailure{-1, LimitMessage(limits, "time")};
  }
  // Out of address space, Hyperscan's allocation fails inside the child: it aborts on the
  // uncaught std::bad_alloc, or reports the failure, or exits without an answer.
  if (kCanLimitAddressSpace) return CompileFailure{-1, LimitMessage(limits, "memory")};
  return CompileFailure{-1, "the compiler process ended without an answer"};
}

}  // namespace phiguard::scan
