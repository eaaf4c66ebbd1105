#include "util/bounded_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "util/paths.h"

namespace phiguard::util {
namespace {

namespace fs = std::filesystem;

fs::path TempDir() {
  auto dir = fs::temp_directory_path() / ("phiguard-bounded-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

TEST(BoundedFile, ReadsAFileWithinTheLimit) {
  const auto path = TempDir() / "small.json";
  std::ofstream(path) << "{\"a\":1}";
  const auto bytes = ReadFileBounded(path, 7);
  ASSERT_TRUE(bytes.ok()) << bytes.error().Describe();
  EXPECT_EQ(bytes.value(), "{\"a\":1}");
}

TEST(BoundedFile, RefusesALargerFileWithoutReadingIt) {
  // A sparse 1 GiB file: no disk used, and reading it whole would allocate 1 GiB.
  const auto path = TempDir() / "huge.bundle";
  { std::ofstream touch(path); }
  fs::resize_file(path, 1ull << 30);
  const auto bytes = ReadFileBounded(path, 16 * 1024 * 1024);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().where, path.string());
  EXPECT_NE(bytes.error().reason.find("larger than 16 MiB (1073741824 bytes); not read"),
            std::string::npos)
      << bytes.error().reason;
  fs::remove(path);
}

TEST(BoundedFile, OneByteOverTheLimitIsRefused) {
  const auto path = TempDir() / "eight.txt";
  std::ofstream(path) << "12345678";
  EXPECT_FALSE(ReadFileBounded(path, 7).ok());
  EXPECT_TRUE(ReadFileBounded(path, 8).ok());
}

TEST(BoundedFile, RefusesWhatIsNotARegularFile) {
  const auto fifo = TempDir() / "fifo";
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto from_fifo = ReadFileBounded(fifo, 1024);  // must not wait for a writer
  ASSERT_FALSE(from_fifo.ok());
  EXPECT_NE(from_fifo.error().reason.find("not a regular file"), std::string::npos);
  EXPECT_FALSE(ReadFileBounded(TempDir(), 1024).ok());
  EXPECT_FALSE(ReadFileBounded(TempDir() / "absent", 1024).ok());
}

// With HOME unset the per-user folders come from the password database, never from a
// shared temporary folder (they were /tmp/.cache/phiguard, writable by every user).
TEST(Paths, NoSharedTemporaryFolderWhenHomeIsUnset) {
  const char* saved_home = std::getenv("HOME");
  const std::string home = saved_home ? saved_home : "";
  const char* saved_state = std::getenv("XDG_STATE_HOME");
  const std::string state = saved_state ? saved_state : "";
  const char* saved_cache = std::getenv("XDG_CACHE_HOME");
  const std::string cache = saved_cache ? saved_cache : "";
  ::unsetenv("HOME");
  ::unsetenv("XDG_STATE_HOME");
  ::unsetenv("XDG_CACHE_HOME");
  const auto state_dir = StateDir();
  const auto cache_dir = CacheDir();
  if (saved_home) ::setenv("HOME", home.c_str(), 1);
  if (saved_state) ::setenv("XDG_STATE_HOME", state.c_str(), 1);
  if (saved_cache) ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
  const auto temp = fs::temp_directory_path().string();
  for (const auto& dir : {state_dir, cache_dir}) {
    EXPECT_NE(dir.string().rfind(temp, 0), 0u) << dir;
    EXPECT_TRUE(dir.empty() || dir.is_absolute()) << dir;
  }
}

}  // namespace
}  // namespace phiguard::util
