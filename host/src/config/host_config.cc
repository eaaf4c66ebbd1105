#include "config/host_config.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "util/test_overrides.h"

namespace phiguard::config {
namespace {

using nlohmann::json;

struct ConfigError {
  std::string reason;
};

const std::set<std::string, std::less<>> kFields = {"rules_dir",
                                                    "trusted_keys",
                                                    "bundle_url",
                                                    "bundle_path",
                                                    "update_interval_seconds",
                                                    "update_jitter_seconds",
                                                    "ca_file",
                                                    "allow_below_protection_floor",
                                                    "audit"};
const std::set<std::string, std::less<>> kAuditFields = {"enabled",       "file",      "syslog",
                                                         "syslog_socket", "max_bytes", "max_files"};

void RejectUnknown(const json& object, const std::set<std::string, std::less<>>& known,
                   const std::string& prefix) {
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) throw ConfigError{"unknown field '" + prefix + key + "'"};
  }
}

std::string StringField(const json& object, const char* name, const std::string& fallback) {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_string()) throw ConfigError{std::string("'") + name + "' must be a string"};
  return it->get<std::string>();
}

std::uint64_t NumberField(const json& object, const char* name, std::uint64_t fallback,
                          std::uint64_t low, std::uint64_t high) {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() < low ||
      it->get<std::uint64_t>() > high) {
    throw ConfigError{std::string("'") + name + "' must be a whole number from " +
                      std::to_string(low) + " to " + std::to_string(high)};
  }
  return it->get<std::uint64_t>();
}

bool BoolField(const json& object, const char* name, bool fallback) {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_boolean()) throw ConfigError{std::string("'") + name + "' must be true or false"};
  return it->get<bool>();
}

AuditConfig ParseAudit(const json& object) {
  AuditConfig audit;
  if (!object.is_object()) throw ConfigError{"'audit' must be an object"};
  RejectUnknown(object, kAuditFields, "audit.");
  audit.enabled = BoolField(object, "enabled", false);
  audit.file = StringField(object, "file", "");
  audit.syslog = BoolField(object, "syslog", false);
  audit.syslog_socket = StringField(object, "syslog_socket", audit.syslog_socket.string());
  if (!audit.syslog_socket.is_absolute())
    throw ConfigError{"'audit.syslog_socket' must be an absolute path"};
  audit.max_bytes = NumberField(object, "max_bytes", audit.max_bytes, 4096, 1ULL << 32);
  audit.max_files = NumberField(object, "max_files", audit.max_files, 1, 100);
  return audit;
}

}  // namespace

std::filesystem::path DefaultConfigPath() {
  if (const char* path = util::TestOverride("PHIGUARD_CONFIG")) return path;
#ifdef __APPLE__
  return "/Library/Application Support/PHI Guard/config.json";
#else
  return "/etc/phiguard/config.json";
#endif
}

util::Result<HostConfig> ParseHostConfig(std::string_view json_text, const std::string& source) {
  const json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return util::Error{source, "not a JSON object"};
  }
  HostConfig config;
  try {
    RejectUnknown(document, kFields, "");
    config.rules_dir = StringField(document, "rules_dir", config.rules_dir.string());
    config.bundle_url = StringField(document, "bundle_url", "");
    config.bundle_path = StringField(document, "bundle_path", "");
    config.ca_file = StringField(document, "ca_file", "");
    config.allow_below_protection_floor =
        BoolField(document, "allow_below_protection_floor", false);
    config.update_interval = std::chrono::seconds(
        NumberField(document, "update_interval_seconds", 3600, 1, 7 * 24 * 3600));
    config.update_jitter =
        std::chrono::seconds(NumberField(document, "update_jitter_seconds", 300, 0, 24 * 3600));
    if (const auto keys = document.find("trusted_keys"); keys != document.end()) {
      if (!keys->is_array()) throw ConfigError{"'trusted_keys' must be a list of strings"};
      for (const auto& key : *keys) {
        if (!key.is_string()) throw ConfigError{"'trusted_keys' must be a list of strings"};
        config.trusted_keys.push_back(key.get<std::string>());
      }
    }
    if (const auto audit = document.find("audit"); audit != document.end()) {
      config.audit = ParseAudit(*audit);
    }
  } catch (const ConfigError& e) {
    return util::Error{source, e.reason};
  } catch (const json::exception& e) {
    // Every field above is type-checked first; this is a guard against a missed one, and
    // names the exception only (its message may quote the file).
    return util::Error{source,
                       "unexpected JSON shape (JSON exception " + std::to_string(e.id) + ")"};
  }
  return config;
}

util::Result<HostConfig> LoadHostConfig(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return HostConfig{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return util::Error{path.string(), "cannot read configuration"};
  std::ostringstream content;
  content << in.rdbuf();
  return ParseHostConfig(content.str(), path.string());
}

}  // namespace phiguard::config
