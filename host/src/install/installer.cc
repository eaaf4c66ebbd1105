#include "install/installer.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "util/bounded_file.h"

namespace phiguard::install {
namespace {

namespace fs = std::filesystem;

constexpr auto kFileMode =
    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;

util::Result<bool> CheckRequest(const InstallRequest& request) {
  if (request.env.os == Os::kWindows) {
    return util::Error{"", "on Windows, register the host with install-host.ps1 or the MSI"};
  }
  if (request.browsers.empty()) return util::Error{"--browser", "no browser to install for"};
  const bool any_chromium =
      std::any_of(request.browsers.begin(), request.browsers.end(),
                  [](Browser b) { return Info(b).family == Family::kChromium; });
  const bool any_firefox =
      std::any_of(request.browsers.begin(), request.browsers.end(),
                  [](Browser b) { return Info(b).family == Family::kFirefox; });
  if (any_chromium && !IsValidChromeExtensionId(request.ids.chromium)) {
    return util::Error{"--extension-id",
                       "'" + request.ids.chromium + "' is not an extension id (32 letters a-p)"};
  }
  if (any_firefox && !IsValidFirefoxExtensionId(request.ids.firefox)) {
    return util::Error{"--firefox-extension-id",
                       "'" + request.ids.firefox + "' is not a Firefox add-on id"};
  }
  if (!request.host_path.is_absolute()) {
    return util::Error{"--host-path", "'" + request.host_path.string() + "' is not absolute"};
  }
  // --root stages system files; a user-level manifest names a real program.
  const auto on_disk = request.scope == Scope::kSystem ? UnderRoot(request.host_path, request.env)
                                                       : request.host_path;
  std::error_code ec;
  if (!fs::is_regular_file(on_disk, ec) || ::access(on_disk.c_str(), X_OK) != 0) {
    return util::Error{"--host-path", "'" + on_disk.string() + "' is not an executable file"};
  }
  return true;
}

// An existing manifest, to compare with the one to write; one too large to be ours (or
// unreadable) reads as empty, so it is rewritten. Its size is checked before reading.
std::string ReadFile(const fs::path& path) {
  auto text = util::ReadFileBounded(path, util::kMaxConfigFileBytes);
  return text.ok() ? std::move(text).value() : std::string();
}

// Writes `text` to `path` through a temporary file in the same directory.
util::Result<bool> WriteAtomically(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return util::Error{path.parent_path().string(), ec.message()};
  const fs::path temporary = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return util::Error{temporary.string(), "cannot write"};
  }
  fs::permissions(temporary, kFileMode, ec);
  if (!ec) fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary);
    return util::Error{path.string(), ec.message()};
  }
  return true;
}

}  // namespace

util::Result<std::vector<FileChange>> Install(const InstallRequest& request) {
  if (auto ok = CheckRequest(request); !ok.ok()) return ok.error();
  std::vector<FileChange> changes;
  for (const Browser browser : request.browsers) {
    const auto text =
        BuildManifest(Info(browser).family, request.host_path, request.ids).dump(2) + "\n";
    for (const auto& location : LocationsFor(browser, request.env.os, request.scope)) {
      const auto file = ManifestFile(location, request.env);
      std::error_code ec;
      if (fs::exists(file, ec) && ReadFile(file) == text) {
        changes.push_back({browser, file, FileChange::Kind::kUnchanged});
        continue;
      }
      if (auto written = WriteAtomically(file, text); !written.ok()) return written.error();
      changes.push_back({browser, file, FileChange::Kind::kWritten});
    }
  }
  return changes;
}

util::Result<std::vector<FileChange>> Uninstall(Scope scope, const std::vector<Browser>& browsers,
                                                const Environment& env) {
  std::vector<FileChange> changes;
  for (const Browser browser : browsers) {
    for (const auto& location : LocationsFor(browser, env.os, scope)) {
      const auto file = ManifestFile(location, env);
      std::error_code ec;
      if (!fs::remove(file, ec)) {
        if (ec) return util::Error{file.string(), ec.message()};
        changes.push_back({browser, file, FileChange::Kind::kAbsent});
        continue;
      }
      // Only an empty folder goes; fs::remove refuses a non-empty one, which is what we want.
      fs::remove(file.parent_path(), ec);
      changes.push_back({browser, file, FileChange::Kind::kRemoved});
    }
  }
  return changes;
}

std::string Describe(const FileChange& change) {
  static constexpr const char* kVerbs[] = {"written", "unchanged", "removed", "absent"};
  return std::string(kVerbs[static_cast<int>(change.kind)]) + " " + change.file.string() + " (" +
         std::string(Info(change.browser).name) + ")";
}

}  // namespace phiguard::install
