#pragma once
// Native messaging host manifests: building the JSON a browser reads and checking one found on
// disk. The checks are the browsers' own rules plus ours: the name's charset, an absolute host
// path, `type: stdio`, and exact extension ids (no wildcards; Chrome origins end in '/').

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "install/browser.h"

namespace phiguard::install {

struct ExtensionIds {
  std::string chromium;  // 32 letters a-p
  std::string firefox;   // an add-on id such as "phiguard@example.org"
};

// The manifest for one family, with `host_path` (absolute) as the program to start.
nlohmann::json BuildManifest(Family family, const std::filesystem::path& host_path,
                             const ExtensionIds& ids);

// Chrome's rule: lowercase letters, digits, '_' and '.', no leading, trailing or double dot.
// (Firefox allows uppercase too; the stricter rule suits both.)
bool IsValidHostName(std::string_view name);

// 32 characters a-p: a SHA-256 prefix written with the letters Chrome uses for hex digits.
bool IsValidChromeExtensionId(std::string_view id);

// Firefox add-on ids are an email-like "name@domain" or a "{GUID}".
bool IsValidFirefoxExtensionId(std::string_view id);

// Every problem with `manifest` for `family`, as one line each; empty means valid. With
// `expected` ids set, the manifest must let exactly those extensions in (and no others).
std::vector<std::string> ValidateManifest(const nlohmann::json& manifest, Family family,
                                          const ExtensionIds& expected);

}  // namespace phiguard::install
