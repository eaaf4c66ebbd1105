#include "engine/rule_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "engine/protection_floor.h"
#include "engine/rule_checker.h"
#include "rules/pack_loader.h"

namespace phiguard::engine {
namespace {

// Signed and system sources are compliance's own: a pack there replaces the built-in
// pack with the same id (how a central update ships a better default pack). Organisation
// rules from browser policy only add; their unique ids keep them from replacing anything.
std::vector<rules::Pack> Compose(const RuleInputs& inputs) {
  std::vector<rules::Pack> all;
  for (const auto* source : {&inputs.builtin, &inputs.system, &inputs.bundle}) {
    for (const auto& pack : *source) {
      const auto same = std::find_if(all.begin(), all.end(),
                                     [&](const rules::Pack& p) { return p.id == pack.id; });
      if (same != all.end()) {
        *same = pack;
      } else {
        all.push_back(pack);
      }
    }
  }
  all.insert(all.end(), inputs.organisation.begin(), inputs.organisation.end());
  return all;
}

std::string Suffix(const RuleInputs& inputs) {
  return inputs.bundle_version.empty() ? "" : "+bundle@" + inputs.bundle_version;
}

}  // namespace

RuleManager::RuleManager(RuleInputs initial, scan::BuildOptions options,
                         scan::CompileLimits outside_limits)
    : inputs_(std::move(initial)), options_(std::move(options)), outside_limits_(outside_limits) {}

util::Result<std::shared_ptr<const scan::CompiledRules>> RuleManager::BuildInitial() {
  RuleInputs inputs;
  {
    std::lock_guard lock(mutex_);
    inputs = inputs_;
  }
  auto built = BuildFrom(inputs);
  // At start, with the set in force just used or stored (so it is the newest file): older
  // sets from past bundles and organisation rules would otherwise pile up for ever.
  if (built.ok() && options_.cache) {
    if (const auto removed = options_.cache->Prune(); removed > 0)
      spdlog::info("compiled-rules cache: {} old files removed", removed);
  }
  if (!built.ok() || inputs.allow_below_floor) return built;
  const auto below = CheckProtectionFloor(inputs.builtin, built.value());
  if (!below) return built;
  // A restored bundle or a system pack below the floor (the configuration changed since it
  // was accepted, or the system folder was edited): the built-in packs alone, rather than
  // a host that lets identifiers through.
  spdlog::error("system packs and stored bundle not used: {}", below->Describe());
  {
    std::lock_guard lock(mutex_);
    inputs_.system.clear();
    inputs_.bundle.clear();
    inputs_.bundle_version.clear();
    inputs = inputs_;
  }
  return BuildFrom(inputs);
}

util::Result<std::shared_ptr<const scan::CompiledRules>> RuleManager::BuildFrom(
    const RuleInputs& inputs) const {
  auto all = Compose(inputs);
  if (auto duplicate = rules::CheckUniqueRuleIds(all)) return *duplicate;
  auto options = options_;
  options.version_suffix = Suffix(inputs);
  // The system directory and a bundle kept from the last run are outside the install.
  if ((!inputs.system.empty() || !inputs.bundle.empty()) && !options.compile_limits) {
    options.compile_limits = outside_limits_;
  }
  return scan::CompiledRules::Build(std::move(all), options);
}

util::Result<std::shared_ptr<const scan::CompiledRules>> RuleManager::Check(
    const RuleInputs& candidate, const std::vector<rules::Pack>& checked) const {
  if (auto adds_only = CheckOnlyAdds(candidate.organisation)) return *adds_only;
  auto all = Compose(candidate);
  // Unique ids across sources: a bundle or organisation rule cannot replace (and so
  // loosen) a built-in one.
  if (auto duplicate = rules::CheckUniqueRuleIds(all)) return *duplicate;
  auto options = options_;
  options.version_suffix = Suffix(candidate);
  // Bundles and organisation rules come from outside the install: compile under limits
  // (the caller's, when it set them for every build).
  if (!options.compile_limits) options.compile_limits = outside_limits_;
  auto built = scan::CompiledRules::Build(std::move(all), options);
  if (!built.ok()) return built.error();
  if (!candidate.allow_below_floor) {
    if (auto below = CheckProtectionFloor(candidate.builtin, built.value())) return *below;
  }
  std::set<std::string, std::less<>> ids;
  for (const auto& pack : checked) ids.insert(pack.id);
  const auto report = CheckExamples(built.value(), ids);
  if (report.errors() > 0) {
    const auto& first = report.problems.front();
    return util::Error{first.where, first.message + " (" + std::to_string(report.errors()) +
                                        " example problems in all)"};
  }
  return built.value();
}

util::Result<std::shared_ptr<const scan::CompiledRules>> RuleManager::Replace(
    const std::function<void(RuleInputs&)>& change, const std::vector<rules::Pack>& checked) {
  // Another source replaced while this one compiled (the updater and `configure` run on
  // different threads) means composing again; a few rounds settle any real sequence.
  constexpr int kAttempts = 4;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RuleInputs candidate;
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mutex_);
      candidate = inputs_;
      generation = generation_;
    }
    change(candidate);
    auto built = Check(candidate, checked);  // the slow part, without the lock
    if (!built.ok()) return built.error();
    std::lock_guard lock(mutex_);
    if (generation != generation_) continue;  // stale: compose with the newer inputs
    inputs_ = std::move(candidate);
    ++generation_;
    pending_ = built.value();
    return built.value();
  }
  return util::Error{"rules", "other rule sources kept changing while this set compiled"};
}

util::Result<std::shared_ptr<const scan::CompiledRules>> RuleManager::ReplaceBundle(
    std::vector<rules::Pack> packs, std::string version) {
  return Replace(
      [&](RuleInputs& inputs) {
        inputs.bundle = packs;
        inputs.bundle_version = version;
      },
      packs);
}

util::Result<std::shared_ptr<const scan::CompiledRules>> RuleManager::ReplaceOrganisation(
    std::vector<rules::Pack> packs) {
  return Replace([&](RuleInputs& inputs) { inputs.organisation = packs; }, packs);
}

std::shared_ptr<const scan::CompiledRules> RuleManager::TakePending() {
  std::lock_guard lock(mutex_);
  return std::exchange(pending_, nullptr);
}

std::string RuleManager::bundle_version() const {
  std::lock_guard lock(mutex_);
  return inputs_.bundle_version;
}

}  // namespace phiguard::engine
