// phiguard-host: the native-messaging host the browser starts. Thin on purpose: set up
// logging, start the host runtime (service/host_runtime.h), then answer frames until EOF.
// stdout carries protocol frames only.

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "protocol/error_codes.h"
#include "protocol/framing.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "service/host_runtime.h"
#include "util/allocator_tuning.h"
#include "util/logging.h"
#include "version.h"

namespace {

using namespace phiguard;

// How long the host waits for a request before it lets go of what only earlier requests
// needed (RequestHandler::OnIdle): a long paste leaves 10-15 MB of RE2 matchers behind
// (scan/regex_cache.h), and keeping them all between requests is what made the host's
// memory go over its budget; releasing them after every request made varied posts compile
// them again and again. A pause this long is a person who stopped typing, not one thinking
// mid-sentence: the first key after a release compiles what it needs again (about 50 ms
// measured after a long paste, inside the extension's own pause before it draws).
constexpr int kIdleMilliseconds = 60000;

int Serve(service::RequestHandler& handler) {
  protocol::FrameReader reader(STDIN_FILENO, protocol::kMaxRequestFrameBytes);
  std::string payload;
  std::uint32_t declared = 0;
  bool released = true;  // nothing to release before the first request
  while (true) {
    if (!released) {
      // FrameReader reads straight from the descriptor, so nothing waits in a buffer.
      pollfd input{STDIN_FILENO, POLLIN, 0};
      if (poll(&input, 1, kIdleMilliseconds) == 0) handler.OnIdle();
      released = true;
    }
    switch (reader.Next(payload, declared)) {
      case protocol::ReadStatus::kEndOfInput:
        spdlog::info("input closed; exiting");
        return 0;
      case protocol::ReadStatus::kTruncated:
        spdlog::warn("input ended inside a frame; exiting");
        return 0;
      case protocol::ReadStatus::kTooLarge:
        spdlog::warn("refused a frame of {} bytes", declared);
        if (!protocol::WriteFrame(STDOUT_FILENO, protocol::Serialize(protocol::ErrorReply(
                                                     protocol::ErrorCode::kTooLarge,
                                                     "frame is larger than the host accepts")))) {
          return 0;
        }
        break;
      case protocol::ReadStatus::kFrame:
        released = false;
        if (!protocol::WriteFrame(STDOUT_FILENO, handler.Handle(payload))) {
          spdlog::info("output closed; exiting");
          return 0;
        }
        break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  util::TuneAllocatorForScanning();
  // Loading the default packs peaks at about 20 MB of heap; untouched room costs nothing.
  util::StartHeapOnHugePages(std::size_t{32} << 20);
  // A browser that goes away closes our stdout; we want EPIPE from write(), not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  util::InitLogging("phiguard-host");
  // Chrome passes the caller's origin first; Firefox passes the manifest path and the
  // extension id. Only the origin is logged, to tell browsers apart in support cases.
  service::HostRuntime runtime({PHIGUARD_VERSION, argc > 1 ? argv[1] : ""});
  util::EndStartHeap();
  return Serve(runtime.handler());
}
