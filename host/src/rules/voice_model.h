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
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace phiguard::rules {

// Transparent hashing, so a feature is looked up by string_view without a string.
struct FeatureHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct VoiceModel {
  // Feature ("word" or "word word", lower-case ASCII, a run of digits as "0") to weight.
  std::unordered_map<std::string, float, FeatureHash, std::equal_to<>> weights;
  float bias = 0.0F;
  // A linked finding whose surroundings score below this probability reads as not about a
  // patient and stays at info.
  float threshold = 0.0F;
  std::string source;  // the pack that carries it, for messages
};

}  // namespace phiguard::rules
