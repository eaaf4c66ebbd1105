#pragma once
// Shared by the libFuzzer targets: the default rule set, built once per process, and the
// offset properties every finding must hold (issue #8).
//
// A failed property aborts with offsets and lengths only, never text: a crash message is a
// log line too (docs/design.md "Privacy and security invariants"). The crashing input is in the
// artifact file libFuzzer writes.

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "cache/file_database_store.h"
#include "rules/pack_loader.h"
#include "scan/compiled_rules.h"
#include "shared_cache.h"
#include "util/normalized_text.h"
#include "util/utf8.h"

namespace phiguard::fuzz {

[[noreturn]] inline void Fail(const char* property, std::size_t a, std::size_t b,
                              std::size_t limit) {
  std::fprintf(stderr, "fuzz property failed: %s (%zu, %zu, limit %zu)\n", property, a, b, limit);
  std::abort();
}

inline void Check(bool holds, const char* property, std::size_t a = 0, std::size_t b = 0,
                  std::size_t limit = 0) {
  if (!holds) Fail(property, a, b, limit);
}

// Logs would go to spdlog's default stdout sink and slow every run down; no target needs them.
inline void QuietLogs() { spdlog::set_level(spdlog::level::off); }

// The shipped packs (rules/packs in the source tree), compiled once per process. Through
// the unit tests' shared cache, which the test suites (release and ASan) have filled with
// this very set before CI fuzzes: two targets compiling it cold at once under ASan took
// about 90 s of each one's 20 s budget. The build tree's own folder when there is no cache
// folder on this machine.
inline std::shared_ptr<scan::DatabaseStore> FuzzRulesCache() {
  if (auto shared = testing::SharedTestCache()) return shared;
  return std::make_shared<cache::FileDatabaseStore>(PHIGUARD_FUZZ_CACHE_DIR);
}

inline std::shared_ptr<const scan::CompiledRules> DefaultRules() {
  static const std::shared_ptr<const scan::CompiledRules> rules = [] {
    auto packs = rules::LoadPackDirectory(PHIGUARD_FUZZ_RULES_DIR);
    if (!packs.ok()) {
      std::fprintf(stderr, "cannot load default packs: %s\n", packs.error().Describe().c_str());
      std::abort();
    }
    scan::BuildOptions options;
    options.cache = FuzzRulesCache();
    auto built = scan::CompiledRules::Build(std::move(packs).value(), options);
    if (!built.ok()) {
      std::fprintf(stderr, "cannot compile default packs: %s\n", built.error().Describe().c_str());
      std::abort();
    }
    return built.value();
  }();
  return rules;
}

// Valid UTF-8 from arbitrary bytes: each ill-formed byte becomes its low seven bits, so
// mutations of the input still steer the text (the scanner's contract is valid UTF-8; the
// protocol layer refuses anything else before it gets there).
inline std::string MakeValidUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t pos = 0; pos < bytes.size();) {
    if (const auto decoded = util::DecodeUtf8At(bytes, pos)) {
      out.append(bytes.substr(pos, decoded->length));
      pos += decoded->length;
    } else {
      out.push_back(static_cast<char>(bytes[pos] & 0x7F));
      ++pos;
    }
  }
  return out;
}

// Code point boundaries of valid UTF-8 `text`, counted independently of util/: for each
// byte offset that starts a code point (and the end), the UTF-16 offset there. Other byte
// offsets map to UINT32_MAX.
inline std::vector<std::uint32_t> Utf16AtByte(std::string_view text) {
  std::vector<std::uint32_t> at(text.size() + 1, UINT32_MAX);
  std::uint32_t utf16 = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte: inside a code point
    at[i] = utf16;
    utf16 += byte >= 0xF0 ? 2 : 1;  // four-byte sequences are surrogate pairs in UTF-16
  }
  at[text.size()] = utf16;
  return at;
}

// The property of issue #8 for one span of valid UTF-8 `text`: inside the text, not empty
// when `non_empty`, on code point boundaries in bytes, and UTF-16 offsets that agree with
// the bytes, so they never split a surrogate pair.
inline void CheckSpan(const util::OriginalSpan& span, const std::vector<std::uint32_t>& utf16_at,
                      bool non_empty) {
  const std::size_t size = utf16_at.size() - 1;
  Check(span.byte_start <= span.byte_end, "byte_start <= byte_end", span.byte_start, span.byte_end);
  Check(span.byte_end <= size, "byte_end inside the text", span.byte_end, 0, size);
  Check(!non_empty || span.byte_start < span.byte_end, "span not empty", span.byte_start,
        span.byte_end);
  Check(utf16_at[span.byte_start] != UINT32_MAX, "byte_start on a code point boundary",
        span.byte_start);
  Check(utf16_at[span.byte_end] != UINT32_MAX, "byte_end on a code point boundary", span.byte_end);
  Check(span.utf16_start == utf16_at[span.byte_start], "utf16_start agrees with bytes",
        span.utf16_start, utf16_at[span.byte_start]);
  Check(span.utf16_end == utf16_at[span.byte_end], "utf16_end agrees with bytes", span.utf16_end,
        utf16_at[span.byte_end]);
}

}  // namespace phiguard::fuzz
