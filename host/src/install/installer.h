#pragma once
// `phiguard install` and `phiguard uninstall`: write or remove the host manifest at every
// location the table gives for the chosen browsers and scope.

#include <filesystem>
#include <string>
#include <vector>

#include "install/environment.h"
#include "install/host_manifest.h"
#include "util/error.h"

namespace phiguard::install {

struct InstallRequest {
  Scope scope = Scope::kUser;
  std::vector<Browser> browsers;
  std::filesystem::path host_path;  // absolute; as the browser will see it (not under root)
  ExtensionIds ids;
  Environment env;
};

struct FileChange {
  Browser browser;
  std::filesystem::path file;
  enum class Kind { kWritten, kUnchanged, kRemoved, kAbsent } kind;
};

// Checks the request (ids, host path absolute and an executable file, under env.root for
// system scope), then writes every manifest: same-directory temporary file, mode 0644, rename, so a
// browser never reads half a file. Directories are created 0755. Stops at the first error.
util::Result<std::vector<FileChange>> Install(const InstallRequest& request);

// Removes our manifest (only a file named after our host) from every location of the chosen
// browsers and scope, and the directory holding it if that leaves it empty.
util::Result<std::vector<FileChange>> Uninstall(Scope scope, const std::vector<Browser>& browsers,
                                                const Environment& env);

// "written /etc/chromium/native-messaging-hosts/com.phiguard.host.json (chromium)".
std::string Describe(const FileChange& change);

}  // namespace phiguard::install
