// libFuzzer target: the frame decoder and request handling, on an arbitrary byte stream
// as the browser would write it to the host's stdin. Properties: every frame gets exactly
// one reply that is a JSON object with a `type`, fits the reply cap, and, for a `result`,
// holds findings whose UTF-16 offsets lie inside the request's text and never split a
// surrogate pair. The stream ends cleanly however it is cut.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/engine.h"
#include "fuzz_support.h"
#include "protocol/framing.h"
#include "protocol/limits.h"
#include "service/request_handler.h"

namespace {

using namespace phiguard;
using nlohmann::json;

// Smaller than the host's 8 MiB so inputs of a few KiB reach the too_large path too.
constexpr std::size_t kFuzzFrameCap = 4096;

// The code point boundaries of a request's text, as UTF-16 offsets (true where one starts).
std::vector<bool> Utf16Boundaries(const std::string& text) {
  const auto at = fuzz::Utf16AtByte(text);
  std::vector<bool> boundary(at.back() + 1, false);
  for (const auto utf16 : at) {
    if (utf16 != UINT32_MAX) boundary[utf16] = true;
  }
  return boundary;
}

void CheckResult(std::string_view payload, const json& reply) {
  const json request = json::parse(payload);  // the handler accepted it, so it parses
  const auto boundary = Utf16Boundaries(request.at("text").get<std::string>());
  const std::size_t length = boundary.size() - 1;
  for (const auto& finding : reply.at("findings")) {
    const auto start = finding.at("start").get<std::size_t>();
    const auto end = finding.at("end").get<std::size_t>();
    fuzz::Check(start < end && end <= length, "finding inside the text", start, end, length);
    fuzz::Check(boundary[start] && boundary[end], "finding does not split a surrogate pair", start,
                end, length);
  }
}

void CheckReply(std::string_view payload, const std::string& reply) {
  fuzz::Check(reply.size() < protocol::kMaxReplyBytes, "reply under the cap", reply.size(), 0,
              protocol::kMaxReplyBytes);
  const json parsed = json::parse(reply, nullptr, /*allow_exceptions=*/false);
  fuzz::Check(parsed.is_object(), "reply is a JSON object");
  const auto type = parsed.find("type");
  fuzz::Check(type != parsed.end() && type->is_string(), "reply has a type");
  if (*type == "result") CheckResult(payload, parsed);
}

// An in-memory file holding the input, read through the same FrameReader the host uses.
int InputFile(const std::uint8_t* data, std::size_t size) {
  const int fd = memfd_create("fuzz-frames", 0);
  fuzz::Check(fd >= 0, "memfd_create");
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = write(fd, data + done, size - done);
    fuzz::Check(n > 0, "write to memfd");
    done += static_cast<std::size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  phiguard::fuzz::QuietLogs();
  phiguard::fuzz::DefaultRules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A fresh handler per input keeps runs reproducible (`configure` changes policy).
  service::RequestHandler handler({"0.0.0-fuzz", "chrome-extension://fuzz/"},
                                  std::make_unique<engine::Engine>(fuzz::DefaultRules()));
  const int fd = InputFile(data, size);
  protocol::FrameReader reader(fd, kFuzzFrameCap);
  std::string payload;
  std::uint32_t declared = 0;
  for (bool more = true; more;) {
    switch (reader.Next(payload, declared)) {
      case protocol::ReadStatus::kEndOfInput:
      case protocol::ReadStatus::kTruncated:
        more = false;
        break;
      case protocol::ReadStatus::kTooLarge:
        fuzz::Check(declared > kFuzzFrameCap, "too large only above the cap", declared, 0,
                    kFuzzFrameCap);
        break;
      case protocol::ReadStatus::kFrame:
        fuzz::Check(payload.size() <= kFuzzFrameCap, "frame within the cap", payload.size(), 0,
                    kFuzzFrameCap);
        CheckReply(payload, handler.Handle(payload));
        break;
    }
  }
  close(fd);
  return 0;
}
