#pragma once
// The post-voice model: how much the words around a finding read like a post about a
// patient rather than about the poster, their own family, staff, an organisation or public
// people. A logistic model over word and word-pair counts, trained on the labelled corpus
// (rules/tools/train_voice_model.py) and shipped as data in a pack ("voice_model",
// rules/README.md "The post-voice model"); linkage uses it as one more suppressor.
//
// NOTE: why a model and not more suppressor phrases: a new author's clean posts flagged
// 14-34 % on their first run after every round of phrase lists, because each author says
// "this is my own mother" or "this is our team" in words the lists lack; the model weighs
// all the words of a post at once and measured half the false alarms on such held-out
// authors for two points of recall.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace phiguard::rules {

// A word's hash (FNV-1a over its bytes), and a pair's from its two words' hashes: the
// scanner hashes words as it reads them and never builds a string per word or pair.
constexpr std::uint64_t kWordHashStart = 14695981039346656037ULL;
constexpr std::uint64_t WordHashStep(std::uint64_t hash, char byte) {
  return (hash ^ static_cast<unsigned char>(byte)) * 1099511628211ULL;
}
constexpr std::uint64_t WordHash(std::string_view word) {
  std::uint64_t hash = kWordHashStart;
  for (const char c : word) hash = WordHashStep(hash, c);
  return hash;
}
constexpr std::uint64_t PairHash(std::uint64_t first, std::uint64_t second) {
  // Not symmetric, and apart from single words' hashes (the odd constant).
  return (first * 0x9E3779B97F4A7C15ULL) ^ (second + 0x632BE59BD9B4E019ULL);
}

class VoiceModel {
 public:
  // Adds a feature ("word" or "word word": lower-case ASCII letters and apostrophes, a run
  // of digits as "0"); false when it is there already.
  bool Add(std::string_view feature, float weight);
  // The weight of the feature with this hash (WordHash or PairHash), or nullptr.
  const float* Find(std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slots_[Probe(slots_, hash)];
    return slot.feature == kEmpty ? nullptr : &slot.weight;
  }
  // The feature's text, for `rules explain` (the hash must be one Find knows).
  std::string_view FeatureText(std::uint64_t hash) const;
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }

  float bias = 0.0F;
  // A linked finding whose surroundings score below this probability reads as not about a
  // patient and stays at info.
  float threshold = 0.0F;
  // A stretch of text that scores at or above this probability, with no patient identifier
  // kept near it, reads as a patient's story told without one, and gets a finding of its own
  // (scan/patient_voice.h). 0: the model only lowers.
  float raise_threshold = 0.0F;
  std::string source;  // the pack that carries it, for messages

  static std::uint64_t HashOf(std::string_view feature);

 private:
  // The compiled pack form (rules/pack_image.h) writes the table as it lies here and reads
  // it back without hashing or probing.
  friend struct PackImageAccess;

  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    std::uint64_t hash = 0;
    float weight = 0.0F;
    std::uint32_t feature = kEmpty;  // index into ends_
  };
  // The slot holding `hash`, or the empty slot where it would go (linear probing; the
  // table is never full).
  static std::size_t Probe(const std::vector<Slot>& slots, std::uint64_t hash) {
    std::size_t i = hash & (slots.size() - 1);
    while (slots[i].feature != kEmpty && slots[i].hash != hash) i = (i + 1) & (slots.size() - 1);
    return i;
  }
  void Grow();

  // NOTE: open addressing in one array: a scan looks up two features per word, and a
  // node-based map's cache misses made 64 KB of posts cost 1.5 ms.
  std::vector<Slot> slots_;
  // The features' texts end to end, feature i ending at ends_[i]: `rules explain` alone
  // reads them. NOTE: one string per feature cost about a megabyte at 20,000 features, and
  // the table at most half full another; resident memory is over budget (docs/design.md).
  std::string texts_;
  std::vector<std::uint32_t> ends_;
};

}  // namespace phiguard::rules
