// Host start to first reply, with and without the compiled-rules cache (budget: 50 ms with
// the cache). Spawns the real phiguard-host and times a hello round trip.

#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

extern char** environ;

namespace {

void HelloRoundTrip(const std::string& cache_dir) {
  int to_host[2], from_host[2];
  if (pipe(to_host) != 0 || pipe(from_host) != 0) std::abort();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_host[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_host[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, to_host[1]);
  posix_spawn_file_actions_addclose(&actions, from_host[0]);
  setenv("XDG_CACHE_HOME", cache_dir.c_str(), 1);
  char host[] = PHIGUARD_HOST_BINARY;
  char origin[] = "chrome-extension://bench/";
  char* argv[] = {host, origin, nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, host, &actions, nullptr, argv, environ) != 0) std::abort();
  posix_spawn_file_actions_destroy(&actions);
  close(to_host[0]);
  close(from_host[1]);
  const std::string hello = R"({"type":"hello","id":1})";
  const auto length = static_cast<std::uint32_t>(hello.size());
  std::string frame(4, '\0');
  std::memcpy(frame.data(), &length, 4);
  frame += hello;
  if (write(to_host[1], frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) {
    std::abort();
  }
  char buffer[4096];
  if (read(from_host[0], buffer, sizeof(buffer)) <= 0) std::abort();  // first reply bytes
  close(to_host[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  close(from_host[0]);
}

void BM_HostStartWithCache(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "phiguard-bench-cache";
  HelloRoundTrip(dir.string());  // fills the cache
  for (auto _ : state) HelloRoundTrip(dir.string());
}
BENCHMARK(BM_HostStartWithCache)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_HostStartWithoutCache(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "phiguard-bench-nocache";
  for (auto _ : state) {
    std::filesystem::remove_all(dir);
    HelloRoundTrip(dir.string());
  }
}
BENCHMARK(BM_HostStartWithoutCache)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace
