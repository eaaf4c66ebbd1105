// `phiguard rules compile --system-cache [DIR] [--check]`: compile, once per machine, the
// rule set every user's host starts with, into the system cache those hosts read before
// their own (cache/system_first_store.h), so an update costs each of them a load instead of
// a compile of seconds. Root's job: hosts use only files root owns.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cache/compiled_packs.h"
#include "cache/file_database_store.h"
#include "cache/system_first_store.h"
#include "cache/trusted_folder.h"
#include "cli/commands.h"
#include "cli/system_cache.h"
#include "engine/rule_manager.h"
#include "service/rule_sources.h"
#include "util/paths.h"

namespace phiguard::cli {
namespace {

namespace fs = std::filesystem;

// The set in force and the one before it: a host that started before an update, or a user
// still on the previous bundle, keeps a set to load; older ones only take disk space.
constexpr std::size_t kSystemSetsKept = 2;

bool IsCacheFile(const fs::path& path) {
  const auto name = path.filename().string();
  return name.starts_with("rules-") && name.ends_with(".hsdb");
}

std::string Owner(uid_t uid) { return uid == 0 ? "root" : "uid " + std::to_string(uid); }

std::string Seconds(std::chrono::steady_clock::duration elapsed) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << std::chrono::duration<double>(elapsed).count()
      << " s";
  return out.str();
}

// Makes `dir` if it is missing and sets it to 0755 if it is there: hosts refuse a folder
// others could write, and cannot read one that is root's alone. Never through a link at
// `dir` itself; a folder of another owner is left as it is, and refused below.
util::Result<bool> PrepareFolder(const fs::path& dir, uid_t owner) {
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return util::Error{dir.string(), std::string("cannot create: ") + std::strerror(errno)};
  }
  cache::FileDescriptor folder(
      ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  struct stat info {};
  if (folder.valid() && ::fstat(folder.get(), &info) == 0 && info.st_uid == owner &&
      (info.st_mode & 07777) != 0755) {
    ::fchmod(folder.get(), 0755);
  }
  auto trusted = cache::OpenTrustedFolder(dir, owner);
  if (!trusted.ok()) {
    return util::Error{trusted.error().Describe(),
                       "hosts would not read it; remove it and run "
                       "this again"};
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    return util::Error{dir.string(), std::string("cannot write: ") + std::strerror(errno)};
  }
  return true;
}

// The pack folders a host on this machine loads from JSON unless their compiled form is
// beside the system cache (service/rule_sources.h): the built-in packs, and the system
// rules folder when there is one.
std::vector<fs::path> PackFolders(const config::HostConfig& config) {
  std::vector<fs::path> folders = {util::BuiltinRulesDir()};
  std::error_code ec;
  if (fs::is_directory(config.rules_dir, ec)) folders.push_back(config.rules_dir);
  return folders;
}

}  // namespace

std::string DescribeCompiledPacks(const fs::path& dir) {
  std::string out;
  for (const auto& folder : PackFolders(service::LoadMachineConfig())) {
    auto checked = cache::CheckCompiledPacks(dir, folder, util::SystemCacheOwner());
    if (!out.empty()) out += "\n";
    out += "compiled packs of " + folder.string() + ": ";
    if (checked.ok()) {
      out += "current (" + std::to_string(checked.value()) + " packs, " +
             cache::CompiledPacksPath(dir, folder).string() + ", read by hosts at start)";
    } else if (checked.error().reason == scan::kNoCacheFile) {
      out += "absent (hosts read the JSON packs)";
    } else {
      out += "not used (hosts read the JSON packs): " + checked.error().Describe();
    }
  }
  return out;
}

SystemCacheState CheckSystemCache(const fs::path& dir) {
  using Kind = SystemCacheState::Kind;
  const auto owner = util::SystemCacheOwner();
  if (auto folder = cache::OpenTrustedFolder(dir, owner); !folder.ok()) {
    if (folder.error().reason == scan::kNoCacheFile) return {Kind::kAbsent, {}, {}};
    return {Kind::kRefused, {}, folder.error().Describe()};
  }
  auto inputs = service::MachineRuleInputs(service::LoadMachineConfig());
  if (!inputs.ok()) return {Kind::kUnknown, {}, inputs.error().Describe()};
  // Read only, through the host's own checks (ownership, digest, widths, examples), and
  // never compiling: a set the hosts would refuse is not current.
  auto reader = std::make_shared<cache::SystemFirstStore>(dir, nullptr, owner);
  engine::RuleManager manager(std::move(inputs).value(),
                              scan::BuildOptions{.cache = reader, .cache_only = true});
  auto built = manager.BuildInitial();
  if (built.ok()) {
    return {Kind::kCurrent, cache::CacheFilePath(dir, built.value()->stats().cache_key),
            built.value()->version(), built.value()->stats().cache_in_place};
  }
  if (built.error().reason != scan::kNotInCache) {
    return {Kind::kUnknown, {}, built.error().Describe()};
  }
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (IsCacheFile(it->path())) return {Kind::kStale, {}, {}};
  }
  return {Kind::kAbsent, {}, {}};
}

std::string DescribeSystemCache(const SystemCacheState& state) {
  using Kind = SystemCacheState::Kind;
  const std::string fix = "run 'phiguard rules compile --system-cache' as root";
  switch (state.kind) {
    case Kind::kCurrent:
      return "current (rules " + state.detail + ", " + state.file.string() +
             (state.in_place
                  ? ", used in place)"
                  : ", copied at each start: a folder above it is not root's alone, or a "
                    "database would not map; the host's log says which)");
    case Kind::kStale:
      return "stale (holds other rule sets; hosts compile their own until you " + fix + ")";
    case Kind::kAbsent:
      return "absent (hosts compile their own; " + fix + ")";
    case Kind::kRefused:
      return "not used by hosts: " + state.detail;
    case Kind::kUnknown:
      return "not checked: " + state.detail;
  }
  return {};
}

int RunCompileSystemCache(const fs::path& dir_arg, bool check_only) {
  const auto dir = dir_arg.empty() ? util::SystemCacheDir() : dir_arg;
  if (check_only) {
    const auto state = CheckSystemCache(dir);
    std::cout << "compiled rules: system cache " << DescribeSystemCache(state) << "\n"
              << DescribeCompiledPacks(dir) << "\n";
    return state.kind == SystemCacheState::Kind::kCurrent ? kExitClean : kExitFindings;
  }
  const auto owner = util::SystemCacheOwner();
  if (::geteuid() != owner) {
    std::cerr << "phiguard: cannot write the system cache " << dir.string()
              << ": hosts use only files " << Owner(owner) << " owns; run this as " << Owner(owner)
              << " (each user's host compiles its own meanwhile)\n";
    return kExitFindings;
  }
  // Files 0644 and the folder 0755 whatever umask the caller (a package script, cron) has:
  // hosts refuse a set that group or others could have rewritten.
  ::umask(022);
  if (auto prepared = PrepareFolder(dir, owner); !prepared.ok()) {
    std::cerr << "phiguard: cannot write the system cache: " << prepared.error().Describe() << "\n";
    return kExitFindings;
  }
  // The set a host on this machine starts with, composed as the host composes it
  // (service/rule_sources.h): organisation rules arrive later, from browser policy, and
  // each host compiles that set itself.
  const auto config = service::LoadMachineConfig();
  auto inputs = service::MachineRuleInputs(config);
  if (!inputs.ok()) {
    std::cerr << "phiguard: built-in rules unavailable: " << inputs.error().Describe() << "\n";
    return kExitFindings;
  }
  const auto started = std::chrono::steady_clock::now();
  // Only the system folder is consulted, never the caller's own cache: under sudo that can
  // be the invoking user's folder, and a set they planted would then reach every user.
  engine::RuleManager manager(
      std::move(inputs).value(),
      scan::BuildOptions{.cache = std::make_shared<cache::FileDatabaseStore>(
                             dir, cache::FileStoreOptions{.keep = kSystemSetsKept})});
  auto built = manager.BuildInitial();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  if (!built.ok()) {
    std::cerr << "phiguard: the rules in force do not build: " << built.error().Describe() << "\n";
    return kExitFindings;
  }
  const auto& stats = built.value()->stats();
  // Read back with the digest (owner, mode, digest): storing is best effort, and a set the
  // hosts refuse would only show as a compile at every start. Then as every user's host
  // will, in place when the folders above are root's alone.
  cache::FileDatabaseStore reader(dir, cache::FileStoreOptions{.trusted_owner = owner});
  if (auto loaded = reader.Load(stats.cache_key); !loaded.ok()) {
    std::cerr << "phiguard: the system cache was not written ("
              << cache::CacheFilePath(dir, stats.cache_key).string()
              << "): " << loaded.error().Describe() << "\n";
    return kExitFindings;
  }
  cache::FileDatabaseStore host_reader(
      dir, cache::FileStoreOptions{.trusted_owner = owner, .in_place = true});
  auto as_hosts = host_reader.Load(stats.cache_key);
  const bool in_place = as_hosts.ok() && as_hosts.value().in_place;
  const auto file = cache::CacheFilePath(dir, stats.cache_key);
  std::error_code ec;
  const auto bytes = fs::file_size(file, ec);
  std::cout << "system cache: " << (stats.from_cache ? "already holds" : "wrote") << " rules "
            << built.value()->version() << "\n  file: " << file.string() << " (" << bytes
            << " bytes)\n  " << (stats.from_cache ? "checked" : "compiled") << " in "
            << Seconds(elapsed) << "\n  hosts "
            << (in_place ? "use it in place"
                         : "copy it at each start (a folder above it is not root's alone, or a "
                           "database would not map: see the warning above)")
            << "\n";
  // Each pack folder in its compiled form, which hosts read at start instead of the JSON
  // while the folder is unchanged (cache/compiled_packs.h). Best effort: without it a host
  // reads the JSON, as it always could.
  std::vector<fs::path> forms;
  for (const auto& folder : PackFolders(config)) {
    auto written = cache::WriteCompiledPacks(dir, folder);
    if (!written.ok()) {
      std::cerr << "phiguard: packs of " << folder.string()
                << " not compiled (hosts read the JSON): " << written.error().Describe() << "\n";
      continue;
    }
    forms.push_back(written.value());
    std::cout << "  compiled packs: " << written.value().string() << " ("
              << fs::file_size(written.value(), ec) << " bytes, of " << folder.string() << ")\n";
  }
  cache::PruneCompiledPacks(dir, forms);
  return kExitClean;
}

}  // namespace phiguard::cli
