#include "protocol/framing.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace phiguard::protocol {

namespace {

// read(2) that retries when a signal interrupts it. Returns bytes read, 0 at EOF, -1 on error.
ssize_t ReadRetrying(int fd, char* out, std::size_t length) {
  ssize_t n;
  do {
    n = ::read(fd, out, length);
  } while (n < 0 && errno == EINTR);
  return n;
}

}  // namespace

bool FrameReader::ReadExactly(char* out, std::size_t length) {
  for (std::size_t done = 0; done < length;) {
    const ssize_t n = ReadRetrying(fd_, out + done, length - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool FrameReader::Skip(std::size_t length) {
  char sink[16384];
  while (length > 0) {
    const ssize_t n = ReadRetrying(fd_, sink, length < sizeof(sink) ? length : sizeof(sink));
    if (n <= 0) return false;
    length -= static_cast<std::size_t>(n);
  }
  return true;
}

ReadStatus FrameReader::Next(std::string& payload, std::uint32_t& declared_length) {
  if (pending_skip_ > 0) {
    const bool complete = Skip(pending_skip_);
    pending_skip_ = 0;
    if (!complete) return ReadStatus::kEndOfInput;
  }
  char header[4];
  // Distinguish a clean EOF (no bytes of a new frame) from one inside the header.
  if (ReadRetrying(fd_, header, 1) <= 0) return ReadStatus::kEndOfInput;
  if (!ReadExactly(header + 1, 3)) return ReadStatus::kTruncated;
  std::memcpy(&declared_length, header, 4);  // native byte order, as the browser writes it
  if (declared_length > max_frame_bytes_) {
    // The caller answers too_large now; the body is dropped as it arrives on the next call,
    // so the stream stays in sync if the sender really sends it.
    pending_skip_ = declared_length;
    return ReadStatus::kTooLarge;
  }
  payload.resize(declared_length);
  if (!ReadExactly(payload.data(), declared_length)) return ReadStatus::kTruncated;
  return ReadStatus::kFrame;
}

std::string EncodeFrame(std::string_view payload) {
  const auto length = static_cast<std::uint32_t>(payload.size());
  std::string frame(4 + payload.size(), '\0');
  std::memcpy(frame.data(), &length, 4);
  std::memcpy(frame.data() + 4, payload.data(), payload.size());
  return frame;
}

bool WriteFrame(int fd, std::string_view payload) {
  const std::string frame = EncodeFrame(payload);
  std::size_t done = 0;
  while (done < frame.size()) {
    const ssize_t n = ::write(fd, frame.data() + done, frame.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace phiguard::protocol
