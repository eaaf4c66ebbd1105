#pragma once
// The rule sources a host starts with, in one place so that `phiguard rules update` checks
// a bundle against exactly what phiguard-host would have in force on this machine.

#include <string>

#include "config/host_config.h"
#include "engine/rule_manager.h"

namespace phiguard::update {

// Built-in packs, then the system rules directory (optional), then the last accepted
// bundle (verified again with the configuration's keys). A broken system pack is logged
// and skipped as a whole: the built-in protection must not disappear because of it.
// Without built-in packs, `error` says why and the inputs are unusable.
engine::RuleInputs InitialRuleInputs(const config::HostConfig& config, std::string& error);

}  // namespace phiguard::update
