#include "scan/regex_cache.h"

#include <algorithm>

namespace phiguard::scan {

RegexCache::RegexCache(std::size_t rule_count) : slots_(2 * rule_count) {}

std::size_t RegexCache::EstimatedBytes(const re2::RE2& regex, bool reverse_built) {
  constexpr std::size_t kBytesPerInstruction = 64;
  if (!regex.ok()) return 0;
  std::size_t instructions = static_cast<std::size_t>(std::max(regex.ProgramSize(), 0));
  // ReverseProgramSize() builds the reverse program: asked only when it is there already.
  if (reverse_built) {
    instructions += static_cast<std::size_t>(std::max(regex.ReverseProgramSize(), 0));
  }
  return instructions * kBytesPerInstruction;
}

std::size_t RegexCache::held_bytes() {
  std::size_t held = 0;
  for (auto& slot : slots_) {
    if (!slot.regex) continue;
    if (slot.bytes == 0) slot.bytes = EstimatedBytes(*slot.regex, slot.reverse);
    held += slot.bytes;
  }
  return held;
}

std::size_t RegexCache::compiled_count() const {
  return static_cast<std::size_t>(std::count_if(
      slots_.begin(), slots_.end(), [](const Slot& slot) { return slot.regex != nullptr; }));
}

std::size_t RegexCache::Release(std::size_t budget_bytes) {
  std::size_t held = held_bytes();
  if (held <= budget_bytes) return 0;
  std::vector<Slot*> idle;
  for (auto& slot : slots_) {
    if (slot.regex) idle.push_back(&slot);
  }
  std::sort(idle.begin(), idle.end(),
            [](const Slot* a, const Slot* b) { return a->last_use < b->last_use; });
  std::size_t released = 0;
  for (auto* slot : idle) {
    if (held <= budget_bytes) break;
    held -= slot->bytes;
    released += slot->bytes;
    slot->regex.reset();
    slot->bytes = 0;
  }
  return released;
}

}  // namespace phiguard::scan
