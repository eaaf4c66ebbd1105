#pragma once
// The machine-wide configuration IT installs at /etc/phiguard/config.json (or the path in
// $PHIGUARD_CONFIG, in builds for tests). Everything in it is optional; a missing file means
// built-in rules only.
//
// {
//   "rules_dir": "/etc/phiguard/rules.d",          // system packs, loaded after built-in
//   "trusted_keys": ["<base64 Ed25519 public key>"], // who may sign rule bundles
//   "bundle_url": "https://rules.example.org/phiguard.bundle",
//   "bundle_path": "/mnt/share/phiguard.bundle",     // or a file on a network share
//   "update_interval_seconds": 3600, "update_jitter_seconds": 300,
//   "ca_file": "/etc/ssl/certs/org-ca.pem",          // extra trust for the update server
//   "allow_below_protection_floor": false,           // engine/protection_floor.h
//   "allow_list": ["Jordan Rivera", "(555) 555-2000"], // scan/allow_list.h
//   "audit": {"enabled": true, "file": "/var/log/phiguard/audit.jsonl", "syslog": true,
//             "max_bytes": 10485760, "max_files": 5}
// }

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "util/error.h"

namespace phiguard::config {

enum class DeviceIdentity { kNone, kHashed, kHostnameUser };

struct AuditConfig {
  bool enabled = false;
  std::filesystem::path file;  // empty: StateDir()/audit.jsonl
  bool syslog = false;
  std::filesystem::path syslog_socket = "/dev/log";  // journald and rsyslog listen here
  std::size_t max_bytes = 10 * 1024 * 1024;
  std::size_t max_files = 5;
  // What identifies the machine and user in each record: nothing (the default), a hash of
  // host name and user ("h:" and 32 hex digits: stable per device, not readable), or
  // "hostname/user" in clear (audit/device_identity.h).
  DeviceIdentity device_identity = DeviceIdentity::kNone;
};

struct HostConfig {
  std::filesystem::path rules_dir = "/etc/phiguard/rules.d";
  std::vector<std::string> trusted_keys;
  std::string bundle_url;
  std::filesystem::path bundle_path;
  std::chrono::seconds update_interval{3600};
  std::chrono::seconds update_jitter{300};
  std::filesystem::path ca_file;
  // Lets a bundle or system pack remove or weaken the floor rules (SSN, MRN, plan IDs,
  // names linked to health). Off: such a set is refused and the rules in force stay.
  bool allow_below_protection_floor = false;
  // The organisation's own names, numbers and addresses (scan/allow_list.h), in force on
  // this machine besides the managed policy's `allowList`. Bounded only by the file's size:
  // the file is IT's, and an entry longer than any finding simply matches nothing.
  std::vector<std::string> allow_list;
  AuditConfig audit;
  // Fields that were wrong and ignored (each kept its default), one line each naming the
  // field and why; the rest of the file is in force. The host logs them and
  // `phiguard doctor` shows them.
  std::vector<std::string> problems;
};

// Where the configuration is read from: /etc/phiguard/config.json (macOS: /Library/Application
// Support/PHI Guard/config.json; Windows: %ProgramData%\PHI Guard\config.json), or
// $PHIGUARD_CONFIG in builds for tests only (util/test_overrides.h).
std::filesystem::path DefaultConfigPath();

// Parses configuration JSON. A field that is unknown (a typo in "trusted_keys"), of the
// wrong type or out of range is named in `problems` and ignored, and the valid rest is
// kept; only text that is not a JSON object is an error.
util::Result<HostConfig> ParseHostConfig(std::string_view json_text, const std::string& source);

// Reads the file, its size checked first (util::kMaxConfigFileBytes); a missing file gives
// the defaults, an unreadable, oversized or non-object one an error.
util::Result<HostConfig> LoadHostConfig(const std::filesystem::path& path);

}  // namespace phiguard::config
