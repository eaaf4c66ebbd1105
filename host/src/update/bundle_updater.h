#pragma once
// Keeps a host's signed rule bundle current: checks the update URL (or a file on a share)
// at the configured interval plus jitter, verifies the signature against trusted keys
// (from system configuration or policy, never from the bundle), takes the version in force
// as current (not an error: servers serve it between releases), refuses older ones,
// compiles, runs the bundle's own examples, and hands the new set to the RuleManager. Any
// failure keeps the last good rules and logs one precise line; an exception while
// checking (a bug) is caught on the updater thread, logged by kind only (never its
// message, which may quote the bundle), and marks that bundle rejected.

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "config/host_config.h"
#include "engine/rule_manager.h"

namespace phiguard::update {

struct UpdaterSettings {
  std::string url;             // https:// bundle URL, or empty
  std::filesystem::path file;  // bundle on a share, or empty
  std::filesystem::path ca_file;
  std::chrono::seconds interval{3600};
  std::chrono::seconds jitter{300};
  std::vector<std::string> trusted_keys;  // base64 Ed25519 public keys
  std::filesystem::path state_file;       // last accepted bundle, restored at start
  // The digest and version of the last bundle rejected for its content (it verified but
  // did not parse, compile or pass its examples, or checking it failed): not retried until
  // the bytes at the source change, at this start or any later one.
  std::filesystem::path rejected_file;
  // The last check's outcome, version in force and time, so IT can tell a machine that is
  // current from one whose checks fail or are refused (docs/it-guide.md "Rule updates").
  std::filesystem::path status_file;
};

UpdaterSettings SettingsFrom(const config::HostConfig& config);

// What one check did; for logs, `phiguard rules update` and tests. kCurrent: the source
// serves the version already in force, which is the normal state between releases and so
// not an error; kUnchanged: the same bytes as at the last check (or a 304).
enum class CheckOutcome { kNoSource, kUnchanged, kCurrent, kAccepted, kRejected, kFetchFailed };

struct CheckResult {
  CheckOutcome outcome = CheckOutcome::kNoSource;
  std::string version;  // the bundle's version when known (accepted, current, refused)
  std::string reason;   // why it was refused or not fetched; names fields, never bundle text
};

// The words `phiguard rules update` prints and bundle.status holds ("updated", "current",
// "refused", "fetch_failed", ...).
const char* OutcomeName(CheckOutcome outcome);

class BundleUpdater {
 public:
  BundleUpdater(UpdaterSettings settings, engine::RuleManager& manager);
  ~BundleUpdater();  // stops and joins the thread

  // Loads the last accepted bundle from the state file (verifying it again) into the
  // manager's inputs. Call before RuleManager::BuildInitial().
  static void RestoreInto(const UpdaterSettings& settings, engine::RuleInputs& inputs);

  // Starts the background thread (no-op without a URL or file).
  void Start();
  // Adds keys from browser policy (`configure`). A key not seen before wakes the thread
  // for a check now that judges the source's bundle whole again (not a 304 on bytes that
  // were refused for want of this key) and, with no bundle in force, the stored one.
  void AddPolicyKeys(const std::vector<std::string>& keys);
  // One check now, on the calling thread.
  CheckResult Check();
  CheckOutcome CheckOnce() { return Check().outcome; }

 private:
  void Run();
  bool Fetch(std::string& bytes, std::string& reason);
  CheckResult Consider(const std::string& bytes, const std::string& digest);
  // With no bundle in force, the stored one verified with today's keys (policy keys arrive
  // after start, and RestoreInto() had only the configuration's).
  void RestoreStoredWithPolicyKeys();
  void RememberRejected(const std::string& digest, const std::string& version);
  void WriteStatus(const CheckResult& result);
  std::vector<std::string> Keys();

  UpdaterSettings settings_;
  engine::RuleManager& manager_;
  std::mutex mutex_;  // guards keys_, keys_added_, stop_
  std::condition_variable wake_;
  std::vector<std::string> keys_;
  bool keys_added_ = false;  // a new policy key since the last check
  bool stop_ = false;
  std::thread thread_;
  std::string etag_;
  std::filesystem::file_time_type file_time_{};
  std::string last_bytes_digest_;
  std::string rejected_digest_;  // from rejected_file
  CheckResult last_decision_;    // what bundle.status repeats while the bytes are unchanged
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace phiguard::update
