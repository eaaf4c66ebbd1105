#include "scan/voice_score.h"

#include <algorithm>
#include <cmath>

namespace phiguard::scan {
namespace {

bool Letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool Digit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

struct Word {
  std::size_t start;
  std::string text;  // lower-case, or "0" for digits
};

// The words of `text`, as the trainer splits them.
std::vector<Word> Words(std::string_view text) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (Digit(c)) {
      const std::size_t start = i;
      while (i < text.size() && Digit(text[i])) ++i;
      words.push_back({start, "0"});
    } else if (Letter(c)) {
      Word word{i, {}};
      while (i < text.size() && Letter(text[i])) word.text.push_back(Lower(text[i++]));
      // One apostrophe with letters after it stays in the word ("patient's", "don't").
      if (i + 1 < text.size() && text[i] == '\'' && Letter(text[i + 1])) {
        word.text.push_back(text[i++]);
        while (i < text.size() && Letter(text[i])) word.text.push_back(Lower(text[i++]));
      }
      words.push_back(std::move(word));
    } else {
      ++i;
    }
  }
  return words;
}

}  // namespace

VoiceScore::VoiceScore(std::string_view text, const rules::VoiceModel& model)
    : model_(model), text_size_(text.size()) {
  const auto words = Words(text);
  const auto add = [&](std::size_t start, std::string_view feature) {
    if (const auto it = model.weights.find(feature); it != model.weights.end()) {
      features_.push_back({start, it->second, it->first});
    }
  };
  std::string pair;
  for (std::size_t i = 0; i < words.size(); ++i) {
    add(words[i].start, words[i].text);
    if (i + 1 < words.size()) {
      pair.assign(words[i].text).append(" ").append(words[i + 1].text);
      add(words[i].start, pair);
    }
  }
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

std::vector<std::string> VoiceScore::StrongestAgainst(std::size_t start, std::size_t end,
                                                      std::size_t count) const {
  const auto [first, last] = Span(start, end);
  // Summed per feature: a word said three times counts three times.
  std::vector<std::pair<std::string_view, double>> totals;
  for (std::size_t i = first; i < last; ++i) {
    const auto& f = features_[i];
    const auto it = std::find_if(totals.begin(), totals.end(),
                                 [&](const auto& t) { return t.first == f.text; });
    if (it == totals.end()) {
      totals.emplace_back(f.text, f.weight);
    } else {
      it->second += f.weight;
    }
  }
  std::erase_if(totals, [](const auto& t) { return t.second >= 0.0; });
  std::sort(totals.begin(), totals.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  std::vector<std::string> strongest;
  for (std::size_t i = 0; i < totals.size() && i < count; ++i) {
    strongest.emplace_back(totals[i].first);
  }
  return strongest;
}

}  // namespace phiguard::scan
