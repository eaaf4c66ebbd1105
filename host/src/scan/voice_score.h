#pragma once
// The post-voice model (rules/voice_model.h) applied to one text: the weight of every word
// and word pair, summed over the bytes around a finding.
//
// The features are the trainer's (rules/tools/train_voice_model.py, which must tokenise
// the same way): runs of ASCII letters, lower-cased, one apostrophe followed by letters
// kept inside a word ("patient's"), a run of digits as "0"; each word and each pair of
// consecutive words is a feature, counted as often as it occurs. Anything else (spaces,
// punctuation, other scripts) separates words.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/voice_model.h"
#include "scan/linkage.h"

namespace phiguard::scan {

// NOTE: how far either side of a finding its words are read: a long social-media post, the
// reach of the post-wide cues, so a short post is read whole, as the model was trained, and
// a pasted document post by post; the same bound, so edit rescans' dependency radius
// (edit_rescanner.cc, built on kPostWideBytes) covers it.
inline constexpr std::size_t kVoiceWindowBytes = kPostWideBytes;

class VoiceScore {
 public:
  VoiceScore(std::string_view text, const rules::VoiceModel& model);

  // The model's probability that the words within kVoiceWindowBytes of [start, end) are
  // about a patient.
  double Probability(std::size_t start, std::size_t end) const;
  bool ReadsAsNoPatient(std::size_t start, std::size_t end) const {
    return Probability(start, end) < model_.threshold;
  }
  // Up to `count` features in that window that pull furthest toward "not a patient",
  // strongest first, for `rules explain` (never a log: they are the post's words).
  std::vector<std::string> StrongestAgainst(std::size_t start, std::size_t end,
                                            std::size_t count) const {
    return Strongest(start, end, count, false);
  }
  // The same, toward "a patient".
  std::vector<std::string> StrongestFor(std::size_t start, std::size_t end,
                                        std::size_t count) const {
    return Strongest(start, end, count, true);
  }

  // Where text reads as about a patient: among the features outside the `taken` spans
  // (sorted [start, end) pairs), those that pull hardest toward "a patient" within
  // kVoiceWindowBytes either side of themselves (the earlier of equals), whose window scores
  // at least `threshold`: the [start, end) span of their words and that score. Each depends only on
  // the text within twice kVoiceWindowBytes of it, as edit rescans need; two are never nearer than
  // kVoiceWindowBytes, so a short post has at most one.
  struct Anchor {
    std::size_t start;
    std::size_t end;
    double probability;  // Probability(start, start)
  };
  std::vector<Anchor> PatientAnchors(
      double threshold, const std::vector<std::pair<std::size_t, std::size_t>>& taken) const;

 private:
  struct Feature {
    std::size_t start;  // where its first word starts
    std::size_t end;    // where its last word ends
    float weight;
    std::uint64_t hash;  // the model's key (VoiceModel::FeatureText names it)
  };
  // Features whose first word starts within kVoiceWindowBytes of [start, end).
  std::pair<std::size_t, std::size_t> Span(std::size_t start, std::size_t end) const;
  std::vector<std::string> Strongest(std::size_t start, std::size_t end, std::size_t count,
                                     bool toward_patient) const;

  const rules::VoiceModel& model_;
  std::size_t text_size_;
  std::vector<Feature> features_;  // with a weight only, in text order
  std::vector<double> prefix_;     // prefix_[i]: sum of the first i weights
};

}  // namespace phiguard::scan
