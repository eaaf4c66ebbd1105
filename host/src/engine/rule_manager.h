#pragma once
// The rule sources of a running host, composed in order of precedence (issue #6):
//   1. built-in packs, 2. the system rules directory, 3. a signed bundle (update URL or
//   file), 4. organisation rules pushed by browser policy through `configure`.
// A system or bundle pack replaces the earlier pack with the same pack id (central updates
// of the default packs, signed by compliance), but no set goes below the protection floor
// (engine/protection_floor.h) unless the configuration allows it. Organisation rules only
// add: a rule id that exists already is refused, so policy cannot loosen a rule, and so is
// a cue that would lower other findings; organisation enforcement can only tighten actions
// (policy/verdict.h).
//
// Thread-safe: the updater thread offers bundles while the main thread answers frames.
// A new set compiles and runs its examples without holding the lock that TakePending() and
// bundle_version() take (a bundle can take a minute to compile, and requests must not wait
// for it); only the commit is under the lock. If another source was replaced meanwhile,
// the candidate is composed again with it and recompiled. A new set becomes active only
// when the main thread takes it between two requests (a pointer exchange), so a scan never
// sees half an update and no request is lost.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scan/compiled_rules.h"
#include "scan/isolated_compile.h"
#include "util/error.h"

namespace phiguard::engine {

struct RuleInputs {
  std::vector<rules::Pack> builtin;
  std::vector<rules::Pack> system;
  std::vector<rules::Pack> bundle;
  std::string bundle_version;  // empty when no bundle is in force
  std::vector<rules::Pack> organisation;
  // config `allow_below_protection_floor`: sets may drop floor rules (IT's choice only).
  bool allow_below_floor = false;
};

class RuleManager {
 public:
  // `options.compile_limits`, when set, limits every build. Otherwise sets with packs from
  // outside the install (system folder, bundle, organisation) compile under
  // `outside_limits`, and the built-in packs alone without limits. Tests pass small
  // `outside_limits` without also timing the built-in build.
  RuleManager(RuleInputs initial, scan::BuildOptions options,
              scan::CompileLimits outside_limits = scan::kOutsidePackCompileLimits);

  // Builds the initial set (built-in + system, and a bundle if one was restored).
  util::Result<std::shared_ptr<const scan::CompiledRules>> BuildInitial();

  // Replace one source. The candidate set must compile and the new packs must pass their
  // own examples; otherwise the last good set stays and the error says why. On success
  // the new set waits in the pending slot for TakePending().
  util::Result<std::shared_ptr<const scan::CompiledRules>> ReplaceBundle(
      std::vector<rules::Pack> packs, std::string version);
  util::Result<std::shared_ptr<const scan::CompiledRules>> ReplaceOrganisation(
      std::vector<rules::Pack> packs);

  // The newest accepted set not yet handed out, or null.
  std::shared_ptr<const scan::CompiledRules> TakePending();

  // The version of the bundle in force ("" for none).
  std::string bundle_version() const;

 private:
  // Replaces one source (`change` edits a copy of the inputs) and compiles the result
  // outside the lock; `checked` are the new packs whose examples must pass.
  util::Result<std::shared_ptr<const scan::CompiledRules>> Replace(
      const std::function<void(RuleInputs&)>& change, const std::vector<rules::Pack>& checked);
  // Composes and compiles `inputs` (the start-up build, under limits when any source is
  // from outside the install).
  util::Result<std::shared_ptr<const scan::CompiledRules>> BuildFrom(
      const RuleInputs& inputs) const;
  util::Result<std::shared_ptr<const scan::CompiledRules>> Check(
      const RuleInputs& candidate, const std::vector<rules::Pack>& checked) const;

  mutable std::mutex mutex_;  // guards inputs_, generation_, pending_; never held over a compile
  RuleInputs inputs_;
  std::uint64_t generation_ = 0;  // bumped at every accepted replacement
  scan::BuildOptions options_;
  scan::CompileLimits outside_limits_;
  std::shared_ptr<const scan::CompiledRules> pending_;
};

}  // namespace phiguard::engine
