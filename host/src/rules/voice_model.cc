#include "rules/voice_model.h"

namespace phiguard::rules {

std::uint64_t VoiceModel::HashOf(std::string_view feature) {
  const auto space = feature.find(' ');
  if (space == std::string_view::npos) return WordHash(feature);
  return PairHash(WordHash(feature.substr(0, space)), WordHash(feature.substr(space + 1)));
}

bool VoiceModel::Add(std::string_view feature, float weight) {
  const auto hash = HashOf(feature);
  if (Find(hash) != nullptr) return false;
  // At most 70 % full, so a probe for an absent feature stops within a few slots.
  if (10 * (ends_.size() + 1) > 7 * slots_.size()) Grow();
  texts_ += feature;
  ends_.push_back(static_cast<std::uint32_t>(texts_.size()));
  slots_[Probe(slots_, hash)] = {hash, weight, static_cast<std::uint32_t>(ends_.size() - 1)};
  return true;
}

std::string_view VoiceModel::FeatureText(std::uint64_t hash) const {
  if (slots_.empty()) return {};
  const Slot& slot = slots_[Probe(slots_, hash)];
  if (slot.feature == kEmpty) return {};
  const std::size_t start = slot.feature == 0 ? 0 : ends_[slot.feature - 1];
  return std::string_view(texts_).substr(start, ends_[slot.feature] - start);
}

void VoiceModel::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  for (const auto& slot : old) {
    if (slot.feature != kEmpty) slots_[Probe(slots_, slot.hash)] = slot;
  }
}

}  // namespace phiguard::rules
