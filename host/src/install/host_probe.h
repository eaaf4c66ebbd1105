#pragma once
// `phiguard doctor` starting the host the way a browser does: the program a manifest names,
// with the browser's arguments, one native-messaging session on its stdin (hello, then a
// scan of a built-in canary post that must be blocked), its replies read from its stdout.
// A program that answers anything else (`/bin/cat` echoes the frames back) is not a
// phiguard-host. The canary is a fixed made-up post, never text from this machine, and the
// probe prints nothing of the replies but their verdict, versions and pack ids.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "install/browser.h"
#include "install/host_manifest.h"

namespace phiguard::install {

struct HostProbe {
  std::filesystem::path program;  // as the manifest names it
  bool answered = false;          // replied to hello as a phiguard-host does
  std::string host_version;
  std::string rules_version;       // "none" when the host could not load its rules
  std::string rules_error;         // the host's reason for "none"
  std::vector<std::string> packs;  // "id@version"
  std::string verdict;             // of the canary scan; empty when there was no result
  // One line each, saying what is wrong and how to fix it; empty means the host works.
  std::vector<std::string> problems;
};

// The arguments a browser of `family` starts the host with.
std::vector<std::string> BrowserArguments(Family family, const std::filesystem::path& manifest,
                                          const ExtensionIds& ids);

// Starts `on_disk` (the manifest's `path`, under --root when one is set) with `args`, and
// runs the session. Kills the program if it has not finished within `timeout`.
HostProbe ProbeHost(const std::filesystem::path& program, const std::filesystem::path& on_disk,
                    const std::vector<std::string>& args, std::chrono::seconds timeout);

// Probes each program once, however many manifests name it.
class HostProber {
 public:
  explicit HostProber(std::chrono::seconds timeout) : timeout_(timeout) {}
  const HostProbe& Probe(const std::filesystem::path& program, const std::filesystem::path& on_disk,
                         const std::vector<std::string>& args);
  const std::map<std::filesystem::path, HostProbe>& probes() const { return probes_; }

 private:
  std::chrono::seconds timeout_;
  std::map<std::filesystem::path, HostProbe> probes_;
};

}  // namespace phiguard::install
