#pragma once
// A scanner's RE2 matchers: compiled on first use from its rule set's sources, and released
// again, least recently used first, when its owner asks (the host, once it is idle).
//
// NOTE: RE2 was nearly all of what a host's first long scan added to its memory. A 64 KB
// paste of the dev posts reached the confirm regexes of 177 rules and grew the heap by
// 15.8 MB (mallinfo2 around each RE2 call, 2026-12-08): each regex's forward program, the
// reverse program an end-anchored confirm runs, its DFA's work queues (sized by the
// program, not by max_mem) and its first states, about 60 bytes per program instruction
// whether it ran once or a hundred times. A smaller max_mem bounds only the states, so
// lowering it saved 3 MB at most and slowed dense texts (docs/performance.md); what bounds
// the sum is holding fewer regexes. Not after each request, though: varied 1 KB posts
// need 150 and more regexes between them, and releasing to a few MB after each scan made
// them compile again and again (p50 0.5 -> 2-5 ms a post). The host releases when no
// request has come for a while (main_host.cc); a regex that goes is compiled again if a
// later text needs it (about 1 ms). RE2 gives the same matches either way.

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "scan/compiled_rules.h"

namespace phiguard::scan {

class RegexCache {
 public:
  // Two matchers per rule of a set of `rule_count` rules: its confirm and its extend.
  explicit RegexCache(std::size_t rule_count);

  const re2::RE2& Confirm(std::uint32_t rule_index, const CompiledRule& rule) {
    return Get(2 * std::size_t{rule_index}, rule.confirm, true);
  }
  const re2::RE2& Extend(std::uint32_t rule_index, const CompiledRule& rule) {
    return Get(2 * std::size_t{rule_index} + 1, rule.extend, false);
  }

  // Releases regexes, least recently used first, until the estimated size of all that are
  // held is at most `budget_bytes`. Returns the estimated bytes released.
  std::size_t Release(std::size_t budget_bytes);

  // Estimated bytes held by the regexes compiled now (EstimatedBytes below).
  std::size_t held_bytes();
  std::size_t compiled_count() const;
  bool IsCompiled(std::uint32_t rule_index) const {
    return slots_[2 * rule_index].regex != nullptr;
  }

  // What a compiled regex holds, estimated from its programs' sizes: 64 bytes an
  // instruction (measured: 33-188, median 61, over the 177 rules above; the reverse
  // program counts once an end-anchored search has built it).
  static std::size_t EstimatedBytes(const re2::RE2& regex, bool reverse_built);

 private:
  struct Slot {
    std::unique_ptr<re2::RE2> regex;
    std::uint64_t last_use = 0;  // the use counter when it was last handed out
    std::size_t bytes = 0;       // its estimate, once known (0: not yet)
    bool reverse = false;        // run end-anchored: its reverse program is built
  };

  const re2::RE2& Get(std::size_t slot_index, const RegexSource& source, bool reverse) {
    auto& slot = slots_[slot_index];
    slot.last_use = ++uses_;
    if (!slot.regex) {
      slot.regex = std::make_unique<re2::RE2>(source.pattern, source.options);
      slot.reverse = reverse;
      slot.bytes = 0;
    }
    return *slot.regex;
  }

  std::vector<Slot> slots_;
  std::uint64_t uses_ = 0;
};

}  // namespace phiguard::scan
