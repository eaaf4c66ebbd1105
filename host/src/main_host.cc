// phiguard-host: the native-messaging host the browser starts. Thin on purpose: set up
// logging, start the host runtime (service/host_runtime.h), then answer frames until EOF.
// stdout carries protocol frames only.

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

int Serve(service::RequestHandler& handler) {
  protocol::FrameReader reader(STDIN_FILENO, protocol::kMaxRequestFrameBytes);
  std::string payload;
  std::uint32_t declared = 0;
  while (true) {
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
