#include "update/bundle_updater.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <fstream>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bundle/bundle.h"
#include "update/http_fetch.h"
#include "util/bounded_file.h"
#include "util/hash.h"
#include "util/paths.h"

namespace phiguard::update {
namespace {

// A bundle-sized file, its size checked before it is read (util/bounded_file.h); null when
// absent, and a log line when present but refused.
std::optional<std::string> ReadFile(const std::filesystem::path& path, std::size_t max_bytes,
                                    const char* what) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return std::nullopt;
  auto bytes = util::ReadFileBounded(path, max_bytes);
  if (!bytes.ok()) {
    spdlog::warn("{} not read: {}", what, bytes.error().Describe());
    return std::nullopt;
  }
  return std::move(bytes).value();
}

std::vector<bundle::PublicKey> ParseKeys(const std::vector<std::string>& texts) {
  std::vector<bundle::PublicKey> keys;
  for (const auto& text : texts) {
    auto key = bundle::ParsePublicKey(text);
    if (key.ok()) {
      keys.push_back(key.value());
    } else {
      spdlog::warn("ignoring a trusted key that does not parse: {}", key.error().reason);
    }
  }
  return keys;
}

void WriteAtomically(const std::filesystem::path& path, const std::string& bytes) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  auto temp = path;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return;
  }
  std::filesystem::rename(temp, path, ec);
}

// What went wrong, for a log line: the kind of exception, never its message (a JSON parse
// error quotes the bytes it choked on).
std::string ExceptionKind(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const nlohmann::json::exception& e) {
    return "JSON exception " + std::to_string(e.id);
  } catch (const std::bad_alloc&) {
    return "out of memory";
  } catch (const std::exception&) {
    return "C++ exception";
  } catch (...) {
    return "unknown exception";
  }
}

std::string ReadRejectedDigest(const std::filesystem::path& path) {
  const auto bytes = ReadFile(path, util::kMaxConfigFileBytes, "rejected-bundle record");
  if (!bytes) return {};
  const auto record = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object()) return {};
  const auto digest = record.find("digest");
  return digest != record.end() && digest->is_string() ? digest->get<std::string>() : "";
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

const char* OutcomeName(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::kNoSource:
      return "no_source";
    case CheckOutcome::kUnchanged:
      return "unchanged";
    case CheckOutcome::kCurrent:
      return "current";
    case CheckOutcome::kAccepted:
      return "updated";
    case CheckOutcome::kRejected:
      return "refused";
    case CheckOutcome::kFetchFailed:
      return "fetch_failed";
  }
  return "unknown";
}

UpdaterSettings SettingsFrom(const config::HostConfig& config) {
  UpdaterSettings settings;
  settings.url = config.bundle_url;
  settings.file = config.bundle_path;
  settings.ca_file = config.ca_file;
  settings.interval = config.update_interval;
  settings.jitter = config.update_jitter;
  settings.trusted_keys = config.trusted_keys;
  // No per-user state folder: nothing stored, nothing restored (never a relative path).
  if (const auto state = util::StateDir(); !state.empty()) {
    settings.state_file = state / "bundle.current";
    settings.rejected_file = state / "bundle.rejected";
    settings.status_file = state / "bundle.status";
  }
  return settings;
}

BundleUpdater::BundleUpdater(UpdaterSettings settings, engine::RuleManager& manager)
    : settings_(std::move(settings)), manager_(manager), keys_(settings_.trusted_keys) {
  if (!settings_.rejected_file.empty())
    rejected_digest_ = ReadRejectedDigest(settings_.rejected_file);
}

BundleUpdater::~BundleUpdater() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BundleUpdater::RestoreInto(const UpdaterSettings& settings, engine::RuleInputs& inputs) {
  try {
    const auto bytes = ReadFile(settings.state_file, bundle::kMaxBundleBytes, "stored bundle");
    if (!bytes) return;
    auto verified = bundle::VerifyBundle(*bytes, ParseKeys(settings.trusted_keys));
    if (!verified.ok()) {
      spdlog::warn("stored bundle not restored: {}", verified.error().Describe());
      return;
    }
    inputs.bundle = std::move(verified.value().packs);
    inputs.bundle_version = verified.value().version;
    spdlog::info("restored bundle {}", inputs.bundle_version);
  } catch (...) {
    spdlog::error("stored bundle not restored: {} while reading it",
                  ExceptionKind(std::current_exception()));
    inputs.bundle.clear();
    inputs.bundle_version.clear();
  }
}

void BundleUpdater::Start() {
  if (settings_.url.empty() && settings_.file.empty()) return;
  thread_ = std::thread([this] { Run(); });
}

void BundleUpdater::AddPolicyKeys(const std::vector<std::string>& keys) {
  {
    std::lock_guard lock(mutex_);
    for (const auto& key : keys) {
      if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) continue;
      keys_.push_back(key);
      keys_added_ = true;
    }
    if (!keys_added_) return;
  }
  // Not at the next interval (an hour): a bundle refused a moment ago for want of this key
  // should be in force as soon as policy brings it.
  wake_.notify_all();
}

std::vector<std::string> BundleUpdater::Keys() {
  std::lock_guard lock(mutex_);
  return keys_;
}

void BundleUpdater::Run() {
  while (true) {
    // Nothing may escape this thread: an exception here would abort the host, and the
    // browser would restart it into the same bundle (a crash loop, no scans at all).
    try {
      CheckOnce();
    } catch (...) {
      spdlog::error("bundle check failed, keeping current rules: {}",
                    ExceptionKind(std::current_exception()));
    }
    const auto jitter_ms =
        settings_.jitter.count() > 0
            ? std::uniform_int_distribution<long long>(0, settings_.jitter.count() * 1000)(random_)
            : 0;
    const auto wait =
        std::chrono::milliseconds(settings_.interval) + std::chrono::milliseconds(jitter_ms);
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [this] { return stop_ || keys_added_; });
    if (stop_) return;
  }
}

bool BundleUpdater::Fetch(std::string& bytes, std::string& reason) {
  if (!settings_.url.empty()) {
    auto response = HttpsGet({settings_.url, etag_, settings_.ca_file});
    if (!response.ok()) {
      reason = response.error().Describe();
      spdlog::warn("bundle check failed, keeping current rules: {}", reason);
      return false;
    }
    if (response.value().status == 304) return true;  // bytes stays empty: unchanged
    etag_ = response.value().etag;
    bytes = std::move(response.value().body);
    return true;
  }
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(settings_.file, ec);
  if (ec) {
    reason = settings_.file.string() + ": " + ec.message();
    spdlog::warn("bundle check failed, keeping current rules: {}", reason);
    return false;
  }
  if (time == file_time_) return true;
  // The size is checked before reading: a 1 GiB file on the share was once read whole
  // (1.6 GB) before the 16 MiB check.
  auto content = util::ReadFileBounded(settings_.file, bundle::kMaxBundleBytes);
  if (!content.ok()) {
    reason = content.error().Describe();
    spdlog::warn("bundle check failed, keeping current rules: {}", reason);
    file_time_ = time;  // not read again until it changes
    return false;
  }
  file_time_ = time;
  bytes = std::move(content).value();
  return true;
}

CheckResult BundleUpdater::Check() {
  if (settings_.url.empty() && settings_.file.empty()) return {};
  bool keys_added = false;
  {
    std::lock_guard lock(mutex_);
    keys_added = std::exchange(keys_added_, false);
  }
  if (keys_added) {
    // The source's bundle may have been refused for want of a key that policy has just
    // brought: forget the ETag, file time and last digest so it is judged whole again,
    // instead of a 304 (or an unchanged file) keeping it refused until the server changes.
    etag_.clear();
    file_time_ = {};
    last_bytes_digest_.clear();
    try {
      RestoreStoredWithPolicyKeys();
    } catch (...) {  // a stored bundle that trips a bug must not stop the check below
      spdlog::error("stored bundle not restored: {} while reading it",
                    ExceptionKind(std::current_exception()));
    }
  }
  CheckResult result;
  std::string bytes;
  const bool fetched = Fetch(bytes, result.reason);
  const auto digest = fetched && !bytes.empty() ? util::Fnv1a64().Add(bytes).Hex() : std::string();
  if (!fetched) {
    result.outcome = CheckOutcome::kFetchFailed;
  } else if (bytes.empty() || digest == last_bytes_digest_) {
    // Not modified at the source (empty), or the same bytes as the last check.
    result = {CheckOutcome::kUnchanged, manager_.bundle_version(), {}};
  } else {
    last_bytes_digest_ = digest;
    const auto sha256 = bundle::BundleDigest(bytes);
    if (sha256 == rejected_digest_) {
      result = {CheckOutcome::kRejected,
                {},
                "rejected before (" + sha256.substr(0, 16) + "); not retried until it changes"};
      spdlog::warn("bundle at the source was {}", result.reason);
    } else {
      try {
        result = Consider(bytes, sha256);
      } catch (...) {
        result = {CheckOutcome::kRejected,
                  {},
                  ExceptionKind(std::current_exception()) + " while checking it"};
        spdlog::error("bundle rejected, keeping current rules: {}", result.reason);
        RememberRejected(sha256, "");
      }
    }
  }
  WriteStatus(result);
  return result;
}

void BundleUpdater::WriteStatus(const CheckResult& result) {
  // Unchanged bytes repeat the last decision (a refused bundle stays refused), with the
  // time of this check: a stale time is how a stalled machine shows.
  if (result.outcome != CheckOutcome::kUnchanged && result.outcome != CheckOutcome::kFetchFailed)
    last_decision_ = result;
  if (settings_.status_file.empty()) return;
  const auto& shown = result.outcome == CheckOutcome::kUnchanged &&
                              last_decision_.outcome != CheckOutcome::kNoSource
                          ? last_decision_
                          : result;
  const nlohmann::json record = {{"outcome", OutcomeName(shown.outcome)},
                                 {"version", shown.version},
                                 {"reason", shown.reason},
                                 {"in_force", manager_.bundle_version()},
                                 {"checked", UtcNow()}};
  WriteAtomically(settings_.status_file, record.dump() + "\n");
}

void BundleUpdater::RestoreStoredWithPolicyKeys() {
  if (!manager_.bundle_version().empty() || settings_.state_file.empty()) return;
  const auto bytes = ReadFile(settings_.state_file, bundle::kMaxBundleBytes, "stored bundle");
  if (!bytes) return;
  auto verified = bundle::VerifyBundle(*bytes, ParseKeys(Keys()));
  if (!verified.ok()) return;  // said at start; the source's bundle is checked next
  auto& stored = verified.value();
  const auto version = stored.version;
  auto accepted = manager_.ReplaceBundle(std::move(stored.packs), version);
  if (!accepted.ok()) {
    spdlog::warn("stored bundle {} not restored: {}", version, accepted.error().Describe());
    return;
  }
  spdlog::info("restored bundle {} with a key from policy", version);
}

void BundleUpdater::RememberRejected(const std::string& digest, const std::string& version) {
  rejected_digest_ = digest;
  if (settings_.rejected_file.empty()) return;
  const nlohmann::json record = {{"digest", digest}, {"version", version}};
  WriteAtomically(settings_.rejected_file, record.dump() + "\n");
}

CheckResult BundleUpdater::Consider(const std::string& bytes, const std::string& digest) {
  // A signature that does not verify is not remembered: policy may add the signer's key.
  auto payload = bundle::VerifySignature(bytes, ParseKeys(Keys()));
  if (!payload.ok()) {
    spdlog::error("bundle rejected, keeping current rules: {}", payload.error().Describe());
    return {CheckOutcome::kRejected, {}, payload.error().Describe()};
  }
  auto verified = bundle::ParseBundlePayload(payload.value());
  if (!verified.ok()) {
    spdlog::error("bundle rejected, keeping current rules: {}", verified.error().Describe());
    RememberRejected(digest, "");
    return {CheckOutcome::kRejected, {}, verified.error().Describe()};
  }
  auto& bundle = verified.value();
  const auto current = manager_.bundle_version();
  const int order = current.empty() ? 1 : bundle::CompareVersions(bundle.version, current);
  if (order == 0) {
    // What the server serves between releases, and at every start: nothing to do.
    spdlog::info("bundle {} at the source is the one in force", bundle.version);
    return {CheckOutcome::kCurrent, bundle.version, {}};
  }
  if (order < 0) {
    // A rollback is refused, but it is a server or mirror out of date, not a broken host.
    auto reason = "version " + bundle.version + " is older than " + current + " in force";
    spdlog::warn("bundle refused, keeping current rules: {}", reason);
    return {CheckOutcome::kRejected, bundle.version, std::move(reason)};
  }
  auto accepted = manager_.ReplaceBundle(std::move(bundle.packs), bundle.version);
  if (!accepted.ok()) {
    spdlog::error("bundle {} rejected, keeping current rules: {}", bundle.version,
                  accepted.error().Describe());
    RememberRejected(digest, bundle.version);
    return {CheckOutcome::kRejected, bundle.version, accepted.error().Describe()};
  }
  if (!settings_.state_file.empty()) WriteAtomically(settings_.state_file, bytes);
  spdlog::info("bundle {} accepted: rules {}", bundle.version, accepted.value()->version());
  return {CheckOutcome::kAccepted, bundle.version, {}};
}

}  // namespace phiguard::update
