#include "install/host_manifest.h"

#include <algorithm>

#include "install/extension_ids.h"

namespace phiguard::install {
namespace {

using nlohmann::json;

std::string ChromeOrigin(std::string_view id) {
  return "chrome-extension://" + std::string(id) + "/";
}

bool IsLowerAlnumOrUnderscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

void CheckString(const json& manifest, const char* field, std::vector<std::string>& problems) {
  if (!manifest.contains(field) || !manifest[field].is_string()) {
    problems.push_back(std::string("'") + field + "' must be a string");
  }
}

void CheckName(const json& manifest, std::vector<std::string>& problems) {
  if (!manifest.contains("name") || !manifest["name"].is_string()) return;
  const auto name = manifest["name"].get<std::string>();
  if (!IsValidHostName(name))
    problems.push_back("name '" + name + "' has characters browsers reject");
  if (name != kHostName)
    problems.push_back("name is '" + name + "', not '" + std::string(kHostName) + "'");
}

void CheckPath(const json& manifest, std::vector<std::string>& problems) {
  if (!manifest.contains("path") || !manifest["path"].is_string()) return;
  // Linux and macOS browsers refuse relative paths; Windows would allow them, we never write one.
  const std::filesystem::path path = manifest["path"].get<std::string>();
  if (!path.is_absolute()) problems.push_back("path '" + path.string() + "' is not absolute");
}

// The allow list for the family must be a non-empty array of exact ids, every one of them
// ours; the other family's key must be absent so a stray entry cannot let anything in.
void CheckAllowList(const json& manifest, Family family, const ExtensionIds& expected,
                    std::vector<std::string>& problems) {
  const char* key = family == Family::kChromium ? "allowed_origins" : "allowed_extensions";
  const char* other = family == Family::kChromium ? "allowed_extensions" : "allowed_origins";
  if (manifest.contains(other)) problems.push_back(std::string("unexpected '") + other + "'");
  if (!manifest.contains(key) || !manifest[key].is_array() || manifest[key].empty()) {
    problems.push_back(std::string("'") + key + "' must be a non-empty array");
    return;
  }
  // An empty expected id checks the shape only (doctor on a build without a built-in id).
  const std::string& want_id = family == Family::kChromium ? expected.chromium : expected.firefox;
  const std::string want = family == Family::kChromium ? ChromeOrigin(want_id) : want_id;
  for (const auto& entry : manifest[key]) {
    const std::string value = entry.is_string() ? entry.get<std::string>() : entry.dump();
    if (value.find('*') != std::string::npos) {
      problems.push_back(std::string("wildcard in '") + key + "': " + value);
    } else if (family == Family::kChromium &&
               !(value.starts_with("chrome-extension://") && value.ends_with("/") &&
                 IsValidChromeExtensionId(value.substr(19, value.size() - 20)))) {
      problems.push_back("origin '" + value + "' is not chrome-extension://<32 letters a-p>/");
    } else if (family == Family::kFirefox && !IsValidFirefoxExtensionId(value)) {
      problems.push_back("'" + value + "' is not a Firefox add-on id");
    } else if (!want_id.empty() && value != want) {
      problems.push_back(std::string("'") + key + "' lets in '" + value + "', expected only '" +
                         want + "'");
    }
  }
}

}  // namespace

json BuildManifest(Family family, const std::filesystem::path& host_path, const ExtensionIds& ids) {
  json manifest = {{"name", kHostName},
                   {"description", "PHI Guard: checks posts for protected health information"},
                   {"path", host_path.string()},
                   {"type", "stdio"}};
  if (family == Family::kChromium) {
    manifest["allowed_origins"] = json::array({ChromeOrigin(ids.chromium)});
  } else {
    manifest["allowed_extensions"] = json::array({ids.firefox});
  }
  return manifest;
}

bool IsValidHostName(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c == '.' || IsLowerAlnumOrUnderscore(c); });
}

bool IsValidChromeExtensionId(std::string_view id) {
  return id.size() == 32 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= 'a' && c <= 'p'; });
}

bool IsValidFirefoxExtensionId(std::string_view id) {
  if (id.size() < 3 || id.size() > 255) return false;
  if (id.front() == '{') return id.back() == '}' && id.size() == 38;
  const auto at = id.find('@');
  const bool plain = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == '@' || c == '+';
  });
  return plain && at != std::string_view::npos && at > 0 && at + 1 < id.size() &&
         id.find('@', at + 1) == std::string_view::npos;
}

std::vector<std::string> ValidateManifest(const json& manifest, Family family,
                                          const ExtensionIds& expected) {
  if (!manifest.is_object()) return {"not a JSON object"};
  std::vector<std::string> problems;
  for (const char* field : {"name", "description", "path", "type"}) {
    CheckString(manifest, field, problems);
  }
  CheckName(manifest, problems);
  CheckPath(manifest, problems);
  if (manifest.contains("type") && manifest["type"] != "stdio") {
    problems.push_back("type must be \"stdio\"");
  }
  CheckAllowList(manifest, family, expected, problems);
  return problems;
}

}  // namespace phiguard::install
