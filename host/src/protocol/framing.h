#pragma once
// Native-messaging framing: a 32-bit length in native byte order, then that many bytes of
// UTF-8 JSON. Lengths count bytes, not characters (keepassxc PR #1719 is the bug to avoid).

#include <cstdint>
#include <string>
#include <string_view>

namespace phiguard::protocol {

enum class ReadStatus {
  kFrame,       // `payload` holds one whole frame
  kEndOfInput,  // clean EOF before a length prefix
  kTruncated,   // EOF inside a length prefix or a payload
  kTooLarge,    // the length exceeds the cap; the payload was skipped, not stored
};

// Reads frames from a file descriptor. Blocking; one reader per descriptor.
class FrameReader {
 public:
  FrameReader(int fd, std::size_t max_frame_bytes) : fd_(fd), max_frame_bytes_(max_frame_bytes) {}

  // Reads the next frame into `payload`. For kTooLarge, `declared_length` says how large
  // the refused frame claimed to be; its bytes are skipped (never stored) at the start of
  // the next call, so the caller can answer too_large before the sender finishes writing.
  ReadStatus Next(std::string& payload, std::uint32_t& declared_length);

 private:
  // Reads exactly `length` bytes; false on EOF or error before that.
  bool ReadExactly(char* out, std::size_t length);
  // Consumes and discards `length` bytes without holding them.
  bool Skip(std::size_t length);

  int fd_;
  std::size_t max_frame_bytes_;
  std::size_t pending_skip_ = 0;
};

// Encodes one frame (length prefix + payload).
std::string EncodeFrame(std::string_view payload);

// Writes a whole frame to `fd`, retrying short writes. False when the peer is gone.
bool WriteFrame(int fd, std::string_view payload);

}  // namespace phiguard::protocol
