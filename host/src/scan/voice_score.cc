#include "scan/voice_score.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace phiguard::scan {
namespace {

bool Letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool Digit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Hashes the letters from `i` on, lower-cased, into `hash`; returns where they end.
std::size_t HashLetters(std::string_view text, std::size_t i, std::uint64_t& hash) {
  while (i < text.size() && Letter(text[i])) hash = rules::WordHashStep(hash, Lower(text[i++]));
  return i;
}

}  // namespace

VoiceScore::VoiceScore(std::string_view text, const rules::VoiceModel& model)
    : model_(model), text_size_(text.size()) {
  const auto add = [&](std::size_t start, std::size_t end, std::uint64_t hash) {
    if (const float* weight = model.Find(hash)) features_.push_back({start, end, *weight, hash});
  };
  static const std::uint64_t kDigits = rules::WordHash("0");
  bool have_previous = false;
  std::uint64_t previous = 0;
  std::size_t previous_start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const std::size_t start = i;
    std::uint64_t word = rules::kWordHashStart;
    if (Digit(c)) {
      while (i < text.size() && Digit(text[i])) ++i;
      word = kDigits;
    } else if (Letter(c)) {
      i = HashLetters(text, i, word);
      // One apostrophe with letters after it stays in the word ("patient's", "don't").
      if (i + 1 < text.size() && text[i] == '\'' && Letter(text[i + 1])) {
        word = rules::WordHashStep(word, '\'');
        i = HashLetters(text, i + 1, word);
      }
    } else {
      ++i;
      continue;
    }
    // The pair that ends with this word belongs where its first word starts.
    if (have_previous) add(previous_start, i, rules::PairHash(previous, word));
    add(start, i, word);
    have_previous = true;
    previous = word;
    previous_start = start;
  }
  // In text order as added: a pair is added (at its first word's start) right after that
  // word and before the next one, so Span's binary searches need no sort.
  prefix_.reserve(features_.size() + 1);
  prefix_.push_back(0.0);
  for (const auto& f : features_) prefix_.push_back(prefix_.back() + f.weight);
}

std::pair<std::size_t, std::size_t> VoiceScore::Span(std::size_t start, std::size_t end) const {
  const std::size_t from = start > kVoiceWindowBytes ? start - kVoiceWindowBytes : 0;
  const std::size_t to = std::min(text_size_, end + kVoiceWindowBytes);
  const auto by_start = [](const Feature& f, std::size_t at) { return f.start < at; };
  const auto first = std::lower_bound(features_.begin(), features_.end(), from, by_start);
  const auto last = std::lower_bound(first, features_.end(), to, by_start);
  return {static_cast<std::size_t>(first - features_.begin()),
          static_cast<std::size_t>(last - features_.begin())};
}

double VoiceScore::Probability(std::size_t start, std::size_t end) const {
  const auto [first, last] = Span(start, end);
  const double logit = model_.bias + (prefix_[last] - prefix_[first]);
  return 1.0 / (1.0 + std::exp(-logit));
}

std::vector<std::string> VoiceScore::Strongest(std::size_t start, std::size_t end,
                                               std::size_t count, bool toward_patient) const {
  const auto [first, last] = Span(start, end);
  // Summed per feature: a word said three times counts three times.
  std::vector<std::pair<std::uint64_t, double>> totals;
  for (std::size_t i = first; i < last; ++i) {
    const auto& f = features_[i];
    const auto it = std::find_if(totals.begin(), totals.end(),
                                 [&](const auto& t) { return t.first == f.hash; });
    if (it == totals.end()) {
      totals.emplace_back(f.hash, toward_patient ? -f.weight : f.weight);
    } else {
      it->second += toward_patient ? -f.weight : f.weight;
    }
  }
  std::erase_if(totals, [](const auto& t) { return t.second >= 0.0; });
  std::vector<std::pair<std::string_view, double>> named;
  named.reserve(totals.size());
  for (const auto& [hash, total] : totals) named.emplace_back(model_.FeatureText(hash), total);
  std::sort(named.begin(), named.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  std::vector<std::string> strongest;
  for (std::size_t i = 0; i < named.size() && i < count; ++i) {
    strongest.emplace_back(named[i].first);
  }
  return strongest;
}

std::vector<VoiceScore::Anchor> VoiceScore::PatientAnchors(
    double threshold, const std::vector<std::pair<std::size_t, std::size_t>>& taken) const {
  // Whether each feature may anchor: pulls toward a patient and overlaps no taken span. A
  // span overlaps [start, end) when it starts before `end` and ends after `start`: the
  // latest end among the spans starting before `end` says whether any does.
  std::vector<std::size_t> latest_end(taken.size());
  for (std::size_t k = 0; k < taken.size(); ++k) {
    latest_end[k] = std::max(taken[k].second, k == 0 ? 0 : latest_end[k - 1]);
  }
  std::vector<bool> eligible(features_.size(), false);
  for (std::size_t i = 0; i < features_.size(); ++i) {
    const auto& f = features_[i];
    if (f.weight <= 0.0F) continue;
    const auto before_end = static_cast<std::size_t>(
        std::partition_point(taken.begin(), taken.end(),
                             [&](const auto& span) { return span.first < f.end; }) -
        taken.begin());
    eligible[i] = before_end == 0 || latest_end[before_end - 1] <= f.start;
  }
  // A feature is an anchor when no feature starting within kVoiceWindowBytes of it pulls
  // harder: a sliding maximum over the features in text order (a deque of candidates whose
  // weights fall from front to back), so a 64 KB paste costs one pass, not a window per word.
  std::vector<Anchor> anchors;
  std::deque<std::size_t> best;  // indices into features_
  std::size_t next = 0;          // the next feature to enter the window
  std::size_t first = 0;         // the window's first feature
  for (std::size_t i = 0; i < features_.size(); ++i) {
    const auto& f = features_[i];
    if (!eligible[i]) continue;
    while (next < features_.size() && features_[next].start <= f.start + kVoiceWindowBytes) {
      // Equal weights: the earlier stays in front, so it is the one that anchors.
      if (eligible[next]) {
        while (!best.empty() && features_[best.back()].weight < features_[next].weight) {
          best.pop_back();
        }
        best.push_back(next);
      }
      ++next;
    }
    while (features_[first].start + kVoiceWindowBytes < f.start) ++first;
    while (best.front() < first) best.pop_front();
    if (best.front() != i) continue;
    const double probability = Probability(f.start, f.start);
    if (probability >= threshold) anchors.push_back({f.start, f.end, probability});
  }
  return anchors;
}

}  // namespace phiguard::scan
