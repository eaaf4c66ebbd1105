#include "install/extension_ids.h"

// cmake/Packaging.cmake sets these on this file alone, so a new id recompiles one file.
#ifndef PHIGUARD_EXTENSION_ID
#define PHIGUARD_EXTENSION_ID ""
#endif
#ifndef PHIGUARD_FIREFOX_EXTENSION_ID
#define PHIGUARD_FIREFOX_EXTENSION_ID ""
#endif

namespace phiguard::install {

std::string_view BuiltInExtensionId() { return PHIGUARD_EXTENSION_ID; }
std::string_view BuiltInFirefoxExtensionId() { return PHIGUARD_FIREFOX_EXTENSION_ID; }

}  // namespace phiguard::install
