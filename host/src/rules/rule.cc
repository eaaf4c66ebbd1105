#include "rules/rule.h"

#include <algorithm>
#include <array>

namespace phiguard::rules {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> ParseFrom(const std::array<std::string_view, N>& names, std::string_view text) {
  const auto it = std::find(names.begin(), names.end(), text);
  if (it == names.end()) return std::nullopt;
  return static_cast<Enum>(it - names.begin());
}

constexpr std::array<std::string_view, 4> kKindNames = {"phi", "health", "policy", "cue"};
constexpr std::array<std::string_view, 3> kLinkageNames = {"none", "patient_health", "person"};
constexpr std::array<std::string_view, 5> kEvidenceNames = {"patient", "health", "patient_health",
                                                            "staff", "not_patient"};
constexpr std::array<std::string_view, 4> kSeverityNames = {"low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 3> kActionNames = {"info", "warn", "block"};

constexpr std::array<std::string_view, 26> kCategories = {
    // PHI identifiers after the HIPAA Safe Harbor list
    "name", "geo", "date", "age", "phone", "fax", "email", "ssn", "mrn", "health_plan", "account",
    "license", "vehicle", "device", "url", "ip", "biometric", "photo", "other_id", "patient_detail",
    // health information
    "health",
    // policy
    "medical_advice", "patient_interaction", "review_response", "confidential", "credential"};

}  // namespace

std::string_view ToString(Kind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }
std::string_view ToString(Severity severity) {
  return kSeverityNames[static_cast<std::size_t>(severity)];
}
std::string_view ToString(Action action) { return kActionNames[static_cast<std::size_t>(action)]; }
std::optional<Kind> ParseKind(std::string_view text) { return ParseFrom<Kind>(kKindNames, text); }
std::optional<Severity> ParseSeverity(std::string_view text) {
  return ParseFrom<Severity>(kSeverityNames, text);
}
std::optional<Action> ParseAction(std::string_view text) {
  return ParseFrom<Action>(kActionNames, text);
}
std::optional<Linkage> ParseLinkage(std::string_view text) {
  return ParseFrom<Linkage>(kLinkageNames, text);
}
std::optional<Evidence> ParseEvidence(std::string_view text) {
  return ParseFrom<Evidence>(kEvidenceNames, text);
}
bool IsKnownCategory(std::string_view category) {
  return std::find(kCategories.begin(), kCategories.end(), category) != kCategories.end();
}

namespace {
// What the extension sends (extension/src/shared/sites.js): a post or comment composer, and
// the reply box of a review site, where answering a reviewer is itself a disclosure.
constexpr std::array<std::string_view, 2> kSurfaces = {"compose", "review_reply"};

bool ListAllows(const std::vector<std::string>& list, std::string_view value) {
  return list.empty() || value.empty() || std::find(list.begin(), list.end(), value) != list.end();
}
}  // namespace

std::span<const std::string_view> KnownCategories() { return kCategories; }

std::span<const std::string_view> KnownSurfaces() { return kSurfaces; }

bool IsKnownSurface(std::string_view surface) {
  return std::find(kSurfaces.begin(), kSurfaces.end(), surface) != kSurfaces.end();
}

bool AppliesTo(const Rule& rule, std::string_view site, std::string_view surface) {
  return ListAllows(rule.surfaces, surface) && ListAllows(rule.sites, site);
}

}  // namespace phiguard::rules
