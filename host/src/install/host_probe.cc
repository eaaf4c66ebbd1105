#include "install/host_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>

#include "install/extension_ids.h"

extern char** environ;

namespace phiguard::install {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A made-up post every installed rule set must block: a labelled SSN, and a named patient
// with a diagnosis.
constexpr std::string_view kCanary =
    "Patient SSN: 219-44-7816\nOur patient John Carter was admitted last night with pneumonia.\n";
constexpr std::size_t kMaxOutput = 4 << 20;  // a host's two replies are far smaller

std::string Frame(const json& message) {
  const std::string body = message.dump();
  const auto size = static_cast<std::uint32_t>(body.size());
  std::string frame(sizeof(size), '\0');
  std::memcpy(frame.data(), &size, sizeof(size));
  return frame + body;
}

// Complete frames in `data`; stops at the first one that is cut short or not JSON.
std::vector<json> ParseFrames(const std::string& data) {
  std::vector<json> frames;
  std::size_t at = 0;
  while (data.size() - at >= 4) {
    std::uint32_t size = 0;
    std::memcpy(&size, data.data() + at, sizeof(size));
    if (data.size() - at - 4 < size) break;
    json frame = json::parse(data.begin() + static_cast<std::ptrdiff_t>(at + 4),
                             data.begin() + static_cast<std::ptrdiff_t>(at + 4 + size), nullptr,
                             /*allow_exceptions=*/false);
    if (frame.is_discarded()) break;
    frames.push_back(std::move(frame));
    at += 4 + size;
  }
  return frames;
}

struct Session {
  bool started = false;
  std::string error;  // why it could not start
  std::string output;
  bool timed_out = false;
};

// Runs `program` with `args`, writes `input` to its stdin and closes it, and collects its
// stdout until it closes it or `timeout` passes. stderr goes to /dev/null.
Session Run(const fs::path& program, const std::vector<std::string>& args, const std::string& input,
            std::chrono::seconds timeout) {
  Session session;
  int to_child[2];
  int from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0) {
    session.error = std::strerror(errno);
    return session;
  }
  if (::pipe2(from_child, O_CLOEXEC) != 0) {
    session.error = std::strerror(errno);
    ::close(to_child[0]);
    ::close(to_child[1]);
    return session;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> argv_strings{program.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_strings.size() + 1);
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  if (rc != 0) {
    session.error = std::strerror(rc);
    ::close(to_child[1]);
    ::close(from_child[0]);
    return session;
  }
  session.started = true;

  // A program that exits without reading its stdin must not kill doctor with SIGPIPE.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  std::size_t written = 0;
  while (written < input.size()) {  // two small frames: they fit in the pipe's buffer
    const ssize_t n = ::write(to_child[1], input.data() + written, input.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(to_child[1]);  // end of the session: the host answers and exits

  const auto deadline = Clock::now() + timeout;
  char buffer[65536];
  while (session.output.size() < kMaxOutput) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      session.timed_out = true;
      break;
    }
    pollfd fd{from_child[0], POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = ::read(from_child[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    session.output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(from_child[0]);
  ::sigaction(SIGPIPE, &previous, nullptr);

  // It closed its stdout (or ran out of time, or wrote too much): give it until the
  // deadline to exit, then end it.
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    ::usleep(20000);
  }
  return session;
}

const json* ReplyWithId(const std::vector<json>& frames, int id) {
  for (const auto& frame : frames) {
    if (frame.is_object() && frame.contains("id") && frame["id"] == id) return &frame;
  }
  return nullptr;
}

std::string StringOr(const json& object, const char* key, const std::string& fallback = {}) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

std::vector<std::string> BrowserArguments(Family family, const fs::path& manifest,
                                          const ExtensionIds& ids) {
  // Chromium-family browsers pass the caller's origin; Firefox the manifest and the add-on id.
  if (family == Family::kFirefox) return {manifest.string(), ids.firefox};
  return {"chrome-extension://" + ids.chromium + "/"};
}

HostProbe ProbeHost(const fs::path& program, const fs::path& on_disk,
                    const std::vector<std::string>& args, std::chrono::seconds timeout) {
  HostProbe probe;
  probe.program = program;
  const std::string reinstall =
      "reinstall the package (or run 'phiguard install --system') so the manifest names "
      "phiguard-host";
  const std::string input = Frame({{"type", "hello"},
                                   {"id", 1},
                                   {"client", {{"name", "phiguard-doctor"}, {"version", "1"}}}}) +
                            Frame({{"type", "scan"},
                                   {"id", 2},
                                   {"text", kCanary},
                                   {"site", "doctor.invalid"},
                                   {"surface", "compose"}});
  const Session session = Run(on_disk, args, input, timeout);
  if (!session.started) {
    probe.problems.push_back("host '" + program.string() + "' could not be started (" +
                             session.error + "); " + reinstall);
    return probe;
  }
  const auto frames = ParseFrames(session.output);
  const json* hello = ReplyWithId(frames, 1);
  if (hello == nullptr || StringOr(*hello, "type") != "hello" ||
      StringOr(*hello, "host_version").empty() || !hello->contains("protocol")) {
    probe.problems.push_back(
        "host '" + program.string() + "' is not a phiguard-host: " +
        (session.timed_out ? "no answer to hello within " + std::to_string(timeout.count()) + " s"
                           : std::string("its reply to hello is not PHI Guard's")) +
        "; " + reinstall);
    return probe;
  }
  probe.answered = true;
  probe.host_version = StringOr(*hello, "host_version");
  if (const auto rules = hello->find("rules"); rules != hello->end() && rules->is_object()) {
    probe.rules_version = StringOr(*rules, "version", "none");
    probe.rules_error = StringOr(*rules, "error");
    if (const auto packs = rules->find("packs"); packs != rules->end() && packs->is_array()) {
      for (const auto& pack : *packs) {
        if (pack.is_object()) {
          probe.packs.push_back(StringOr(pack, "id", "?") + "@" + StringOr(pack, "version", "?"));
        }
      }
    }
  } else {
    probe.rules_version = "none";
  }
  if (probe.rules_version == "none") {
    probe.problems.push_back(
        "host '" + program.string() + "': rules unavailable (" +
        (probe.rules_error.empty() ? std::string("no reason given") : probe.rules_error) +
        "); reinstall the package to restore its rules folder, or fix the pack named");
  }
  const json* result = ReplyWithId(frames, 2);
  if (result != nullptr && StringOr(*result, "type") == "result") {
    probe.verdict = StringOr(*result, "verdict");
  }
  if (probe.verdict != "block" && probe.rules_version != "none") {
    const std::string got =
        probe.verdict.empty()
            ? (session.timed_out ? "no result within " + std::to_string(timeout.count()) + " s"
                                 : std::string("no result"))
            : "verdict '" + probe.verdict + "'";
    probe.problems.push_back("host '" + program.string() +
                             "' did not block the canary post (SSN, patient name, diagnosis): " +
                             got + "; the rules in force do not protect, reinstall the package");
  }
  return probe;
}

const HostProbe& HostProber::Probe(const fs::path& program, const fs::path& on_disk,
                                   const std::vector<std::string>& args) {
  const auto it = probes_.find(on_disk);
  if (it != probes_.end()) return it->second;
  return probes_.emplace(on_disk, ProbeHost(program, on_disk, args, timeout_)).first->second;
}

}  // namespace phiguard::install
