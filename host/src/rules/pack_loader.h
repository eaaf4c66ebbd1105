#pragma once
// Reads rule packs (JSON, see rules/schema/pack.schema.json) into rules::Pack.
// Every error names the file, the rule id when there is one, and the reason.

#include <filesystem>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "util/error.h"

namespace phiguard::rules {

// Limits on packs from anywhere, so a hostile or broken pack cannot exhaust the host.
inline constexpr std::size_t kMaxPackBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxRulesPerPack = 2000;
inline constexpr std::size_t kMaxPatternLength = 4096;  // once expanded: what the engines see
inline constexpr std::size_t kMaxFragmentsPerPack = 200;
inline constexpr std::size_t kMaxTermsPerRule = 200000;

// Parses one pack from JSON text. `source` names it in messages; `base_dir` resolves
// `terms_file` entries (empty: terms files are not allowed).
util::Result<Pack> ParsePack(std::string_view json_text, const std::string& source,
                             const std::filesystem::path& base_dir = {});

// Reads and parses a pack file.
util::Result<Pack> LoadPackFile(const std::filesystem::path& path);

// Loads every *.json directly inside `dir`, sorted by file name. One bad pack fails the
// whole set: a half-loaded rule set would silently protect less than compliance intends.
util::Result<std::vector<Pack>> LoadPackDirectory(const std::filesystem::path& dir);
// The same, also listing every file the load read (the packs, then each list file they name,
// once each, in the order first read), for the compiled pack form (cache/compiled_packs.h).
// Every file is read from disk in this load: word lists are not taken from the cache of
// lists earlier loads read.
util::Result<std::vector<Pack>> LoadPackDirectory(const std::filesystem::path& dir,
                                                  std::vector<std::filesystem::path>& files_read);

// Checks across packs: rule ids must be unique in the whole set.
std::optional<util::Error> CheckUniqueRuleIds(const std::vector<Pack>& packs);

}  // namespace phiguard::rules
