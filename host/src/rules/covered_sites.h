#pragma once
// The social sites the extension covers out of the box, as the host names it sends with
// each scan and audit record (extension/src/shared/sites.js; lint.vocabulary keeps the
// two lists equal). Organisations add more through the extraSites policy.

#include <span>
#include <string_view>

namespace phiguard::rules {

std::span<const std::string_view> BuiltInSiteHosts();

}  // namespace phiguard::rules
