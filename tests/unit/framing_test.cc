#include "protocol/framing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace phiguard::protocol {
namespace {

// Writes `bytes` into a pipe from another thread (so large inputs cannot deadlock) and
// reads frames back with a FrameReader.
class PipeFeed {
 public:
  explicit PipeFeed(std::string bytes) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    read_fd_ = fds[0];
    writer_ = std::thread([fd = fds[1], data = std::move(bytes)] {
      std::size_t done = 0;
      while (done < data.size()) {
        const ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      close(fd);
    });
  }
  ~PipeFeed() {
    close(read_fd_);
    writer_.join();
  }
  int fd() const { return read_fd_; }

 private:
  int read_fd_ = -1;
  std::thread writer_;
};

std::string Header(std::uint32_t length) {
  std::string header(4, '\0');
  std::memcpy(header.data(), &length, 4);
  return header;
}

TEST(Framing, EncodesLengthInBytesNotCharacters) {
  const std::string payload = "{\"text\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}";  // é and an emoji
  const std::string frame = EncodeFrame(payload);
  std::uint32_t length = 0;
  std::memcpy(&length, frame.data(), 4);
  EXPECT_EQ(length, payload.size());
  EXPECT_EQ(frame.substr(4), payload);
}

TEST(Framing, ReadsConsecutiveFramesThenCleanEof) {
  PipeFeed feed(EncodeFrame("{\"a\":1}") + EncodeFrame("") + EncodeFrame("\xF0\x9F\x98\x80"));
  FrameReader reader(feed.fd(), 1024);
  std::string payload;
  std::uint32_t declared = 0;
  ASSERT_EQ(reader.Next(payload, declared), ReadStatus::kFrame);
  EXPECT_EQ(payload, "{\"a\":1}");
  ASSERT_EQ(reader.Next(payload, declared), ReadStatus::kFrame);  // zero-length frame
  EXPECT_EQ(payload, "");
  ASSERT_EQ(reader.Next(payload, declared), ReadStatus::kFrame);
  EXPECT_EQ(payload.size(), 4u);
  EXPECT_EQ(reader.Next(payload, declared), ReadStatus::kEndOfInput);
}

TEST(Framing, RejectsLengthAboveCapWithoutStoringTheBody) {
  const std::string body(5000, 'x');
  PipeFeed feed(Header(5000) + body + EncodeFrame("{}"));
  FrameReader reader(feed.fd(), 4096);
  std::string payload;
  std::uint32_t declared = 0;
  ASSERT_EQ(reader.Next(payload, declared), ReadStatus::kTooLarge);
  EXPECT_EQ(declared, 5000u);
  EXPECT_TRUE(payload.empty());
  // The oversized body is skipped, and the stream is still in sync.
  ASSERT_EQ(reader.Next(payload, declared), ReadStatus::kFrame);
  EXPECT_EQ(payload, "{}");
}

TEST(Framing, AbsurdLengthThenEofEndsWithoutHanging) {
  PipeFeed feed(Header(0xFFFFFFF0u) + "{\"type\":\"ping\"}");
  FrameReader reader(feed.fd(), 4096);
  std::string payload;
  std::uint32_t declared = 0;
  EXPECT_EQ(reader.Next(payload, declared), ReadStatus::kTooLarge);
  EXPECT_EQ(reader.Next(payload, declared), ReadStatus::kEndOfInput);
}

struct TruncationCase {
  const char* name;
  std::string bytes;
};

TEST(Framing, TruncatedInputIsReportedNotHung) {
  const TruncationCase cases[] = {
      {"half a header", std::string("\x05\x00", 2)},
      {"header without body", Header(10)},
      {"partial body", Header(10) + "abc"},
  };
  for (const auto& c : cases) {
    PipeFeed feed(c.bytes);
    FrameReader reader(feed.fd(), 4096);
    std::string payload;
    std::uint32_t declared = 0;
    EXPECT_EQ(reader.Next(payload, declared), ReadStatus::kTruncated) << c.name;
  }
}

TEST(Framing, WriteFrameRoundTripsThroughAPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_TRUE(WriteFrame(fds[1], "{\"type\":\"pong\"}"));
  close(fds[1]);
  FrameReader reader(fds[0], 1024);
  std::string payload;
  std::uint32_t declared = 0;
  ASSERT_EQ(reader.Next(payload, declared), ReadStatus::kFrame);
  EXPECT_EQ(payload, "{\"type\":\"pong\"}");
  close(fds[0]);
}

}  // namespace
}  // namespace phiguard::protocol
