#pragma once
// The native host's name and the extension ids its manifests let in. The ids come from the
// build (cmake/Packaging.cmake reads extension/EXTENSION_ID and the Firefox add-on id), so they
// are written in one place; `phiguard install --extension-id` overrides them.

#include <string_view>

namespace phiguard::install {

// docs/design.md "Extension contract": the host's name.
inline constexpr std::string_view kHostName = "com.phiguard.host";

// The Chromium-family extension id (32 letters a-p), or empty when the build had none.
std::string_view BuiltInExtensionId();

// The Firefox add-on id (browser_specific_settings.gecko.id), or empty when the build had none.
std::string_view BuiltInFirefoxExtensionId();

}  // namespace phiguard::install
