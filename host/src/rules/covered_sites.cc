#include "rules/covered_sites.h"

#include <array>

namespace phiguard::rules {

namespace {
constexpr std::array<std::string_view, 13> kHosts = {
    "x.com",       "twitter.com",         "facebook.com", "instagram.com", "threads.net",
    "threads.com", "linkedin.com",        "reddit.com",   "bsky.app",      "youtube.com",
    "tiktok.com",  "business.google.com", "biz.yelp.com"};
}  // namespace

std::span<const std::string_view> BuiltInSiteHosts() { return kHosts; }

}  // namespace phiguard::rules
