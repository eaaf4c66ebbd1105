#include "config/host_config.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "util/bounded_file.h"
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
                                                    "audit",
                                                    "allow_list"};
const std::set<std::string, std::less<>> kAuditFields = {
    "enabled", "file", "syslog", "syslog_socket", "max_bytes", "max_files", "device_identity"};

// Each field is parsed on its own: a wrong one is named in `problems` and keeps its
// default, and the rest of the file stays in force. Dropping the whole file for one typo
// once switched off audit, the trusted keys and updates together, silently.
template <typename Parse>
void Field(std::vector<std::string>& problems, Parse&& parse) {
  try {
    parse();
  } catch (const ConfigError& e) {
    problems.push_back(e.reason + "; that field is ignored");
  }
}

void ReportUnknown(const json& object, const std::set<std::string, std::less<>>& known,
                   const std::string& prefix, std::vector<std::string>& problems) {
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) {
      problems.push_back("unknown field '" + prefix + key + "'; that field is ignored");
    }
  }
}

std::string StringField(const json& object, const char* name, const std::string& fallback,
                        const std::string& prefix = "") {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_string()) throw ConfigError{"'" + prefix + name + "' must be a string"};
  return it->get<std::string>();
}

std::uint64_t NumberField(const json& object, const char* name, std::uint64_t fallback,
                          std::uint64_t low, std::uint64_t high, const std::string& prefix = "") {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() < low ||
      it->get<std::uint64_t>() > high) {
    throw ConfigError{"'" + prefix + name + "' must be a whole number from " + std::to_string(low) +
                      " to " + std::to_string(high)};
  }
  return it->get<std::uint64_t>();
}

bool BoolField(const json& object, const char* name, bool fallback,
               const std::string& prefix = "") {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_boolean()) throw ConfigError{"'" + prefix + name + "' must be true or false"};
  return it->get<bool>();
}

AuditConfig ParseAudit(const json& object, std::vector<std::string>& problems) {
  AuditConfig audit;
  if (!object.is_object()) {
    problems.push_back("'audit' must be an object; that field is ignored");
    return audit;
  }
  const std::string p = "audit.";
  ReportUnknown(object, kAuditFields, p, problems);
  Field(problems, [&] { audit.enabled = BoolField(object, "enabled", false, p); });
  Field(problems, [&] { audit.file = StringField(object, "file", "", p); });
  Field(problems, [&] { audit.syslog = BoolField(object, "syslog", false, p); });
  Field(problems, [&] {
    const std::filesystem::path socket =
        StringField(object, "syslog_socket", audit.syslog_socket.string(), p);
    if (!socket.is_absolute()) throw ConfigError{"'audit.syslog_socket' must be an absolute path"};
    audit.syslog_socket = socket;
  });
  Field(problems, [&] {
    audit.max_bytes = NumberField(object, "max_bytes", audit.max_bytes, 4096, 1ULL << 32, p);
  });
  Field(problems,
        [&] { audit.max_files = NumberField(object, "max_files", audit.max_files, 1, 100, p); });
  Field(problems, [&] {
    const auto identity = StringField(object, "device_identity", "none", p);
    if (identity == "none") {
      audit.device_identity = DeviceIdentity::kNone;
    } else if (identity == "hashed") {
      audit.device_identity = DeviceIdentity::kHashed;
    } else if (identity == "hostname_user") {
      audit.device_identity = DeviceIdentity::kHostnameUser;
    } else {
      throw ConfigError{"'audit.device_identity' must be none, hashed or hostname_user"};
    }
  });
  return audit;
}

// A list of strings (trusted_keys, allow_list): strings are kept, each other entry named by
// its place, never quoted: one bad key must not drop the good ones (bundles would then be
// refused until the file is fixed).
std::vector<std::string> ParseStrings(const json& document, const std::string& name,
                                      std::vector<std::string>& problems) {
  std::vector<std::string> strings;
  const auto it = document.find(name);
  if (it == document.end()) return strings;
  if (!it->is_array()) {
    problems.push_back("'" + name + "' must be a list of strings; that field is ignored");
    return strings;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    if ((*it)[i].is_string()) {
      strings.push_back((*it)[i].get<std::string>());
    } else {
      problems.push_back("'" + name + "' entry " + std::to_string(i + 1) +
                         " is not a string; that entry is ignored");
    }
  }
  return strings;
}

}  // namespace

std::filesystem::path DefaultConfigPath() {
  if (const char* path = util::TestOverride("PHIGUARD_CONFIG")) return path;
#ifdef __APPLE__
  return "/Library/Application Support/PHI Guard/config.json";
#elif defined(_WIN32)
  // The machine-wide data folder (C:\ProgramData unless Windows was set up otherwise). Users
  // may create folders there, so IT creates this one with administrator-only write access
  // before anyone else can (docs/it-guide.md says how); the path is the guide's.
  const char* data = std::getenv("ProgramData");
  return std::filesystem::path(data && *data ? data : "C:\\ProgramData") / "PHI Guard" /
         "config.json";
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
  auto& problems = config.problems;
  try {
    ReportUnknown(document, kFields, "", problems);
    Field(problems, [&] {
      config.rules_dir = StringField(document, "rules_dir", config.rules_dir.string());
    });
    Field(problems, [&] { config.bundle_url = StringField(document, "bundle_url", ""); });
    Field(problems, [&] { config.bundle_path = StringField(document, "bundle_path", ""); });
    Field(problems, [&] { config.ca_file = StringField(document, "ca_file", ""); });
    Field(problems, [&] {
      config.allow_below_protection_floor =
          BoolField(document, "allow_below_protection_floor", false);
    });
    Field(problems, [&] {
      config.update_interval = std::chrono::seconds(
          NumberField(document, "update_interval_seconds", 3600, 1, 7 * 24 * 3600));
    });
    Field(problems, [&] {
      config.update_jitter =
          std::chrono::seconds(NumberField(document, "update_jitter_seconds", 300, 0, 24 * 3600));
    });
    config.trusted_keys = ParseStrings(document, "trusted_keys", problems);
    config.allow_list = ParseStrings(document, "allow_list", problems);
    if (const auto audit = document.find("audit"); audit != document.end()) {
      config.audit = ParseAudit(*audit, problems);
    }
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
  auto content = util::ReadFileBounded(path, util::kMaxConfigFileBytes);
  if (!content.ok()) return content.error();
  return ParseHostConfig(content.value(), path.string());
}

}  // namespace phiguard::config
