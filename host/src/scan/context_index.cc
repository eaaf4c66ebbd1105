#include "scan/context_index.h"

#include <algorithm>

namespace phiguard::scan {

ContextPhrases::ContextPhrases(const rules::ContextSpec& spec) : spec_(&spec) {
  for (const auto& word : spec.raise) raise_.push_back(Intern(word));
  for (const auto& word : spec.lower) lower_.push_back(Intern(word));
  if (!fits_) return;
  // Phrase ids grouped by first byte (a counting sort): one lookup per text byte finds
  // the phrases that may start there.
  std::array<std::uint16_t, 256> count{};
  for (const auto& phrase : phrases_) ++count[static_cast<unsigned char>(phrase.text.front())];
  for (std::size_t b = 0; b < 256; ++b) {
    first_byte_begin_[b + 1] = static_cast<std::uint16_t>(first_byte_begin_[b] + count[b]);
  }
  first_byte_ids_.resize(phrases_.size());
  auto next = first_byte_begin_;
  for (std::size_t id = 0; id < phrases_.size(); ++id) {
    const auto byte = static_cast<unsigned char>(phrases_[id].text.front());
    first_byte_ids_[next[byte]++] = static_cast<std::uint16_t>(id);
  }
}

std::uint16_t ContextPhrases::Intern(std::string_view text) {
  // An empty phrase is never found (ContainsWholeWord); it gets no id of its own.
  if (text.empty()) return kNoPhrase;
  for (std::size_t id = 0; id < phrases_.size(); ++id) {
    if (phrases_[id].text == text) return static_cast<std::uint16_t>(id);
  }
  if (phrases_.size() == kMaxPhrases) {
    fits_ = false;
    return kNoPhrase;
  }
  phrases_.push_back({text, IsContextWordByte(text.front()), IsContextWordByte(text.back())});
  return static_cast<std::uint16_t>(phrases_.size() - 1);
}

ContextIndex::ContextIndex(std::string_view lowered_text, const ContextPhrases& phrases,
                           const std::vector<std::pair<std::size_t, std::size_t>>& spans)
    : text_(lowered_text), phrases_(&phrases) {
  const std::size_t window = phrases.spec_->window;
  // The windows before and after the candidates, each list by where it starts, merged into
  // the regions they cover together. Candidates come in text order, so the lists are
  // sorted already, or nearly (after-windows start at the candidates' ends).
  using Window = std::pair<std::size_t, std::size_t>;
  std::vector<Window> before;
  std::vector<Window> after;
  before.reserve(spans.size());
  after.reserve(spans.size());
  for (const auto& [start, end] : spans) {
    before.emplace_back(start > window ? start - window : 0, start);
    after.emplace_back(end, std::min(text_.size(), end + window));
  }
  for (auto* list : {&before, &after}) {
    if (!std::is_sorted(list->begin(), list->end())) std::sort(list->begin(), list->end());
  }
  std::size_t from = 0;
  std::size_t to = 0;
  const auto add = [&](const Window& w) {
    if (w.first > to) {
      IndexRegion(from, to);
      from = w.first;
    }
    to = std::max(to, w.second);
  };
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    add(a == after.end() || (b != before.end() && *b < *a) ? *b++ : *a++);
  }
  IndexRegion(from, to);
}

void ContextIndex::IndexRegion(std::size_t from, std::size_t to) {
  const auto& p = *phrases_;
  for (std::size_t pos = from; pos < to; ++pos) {
    const auto byte = static_cast<unsigned char>(text_[pos]);
    const auto begin = p.first_byte_begin_[byte];
    const auto end = p.first_byte_begin_[byte + 1];
    if (begin == end) continue;
    // A phrase that starts with a word byte starts only where a word does; one inside a
    // word counts only at a window's edge, which Find checks itself.
    if (IsContextWordByte(text_[pos]) && pos > 0 && IsContextWordByte(text_[pos - 1])) continue;
    for (auto i = begin; i < end; ++i) {
      const auto id = p.first_byte_ids_[i];
      const auto& phrase = p.phrases_[id];
      if (!IsAt(pos, phrase)) continue;
      const std::size_t after = pos + phrase.text.size();
      const bool bounded =
          !phrase.word_end || after == text_.size() || !IsContextWordByte(text_[after]);
      occurrences_.push_back({pos, id, bounded});
    }
  }
}

bool ContextIndex::IsAt(std::size_t pos, const ContextPhrases::Phrase& phrase) const {
  return text_.compare(pos, phrase.text.size(), phrase.text) == 0;
}

// Marks the phrases whole in the window [from, to): as ContainsWholeWord over the window
// alone, whose edges count as word boundaries.
void ContextIndex::MarkWindow(std::size_t from, std::size_t to, Present& present) const {
  if (from >= to) return;
  const auto first =
      std::lower_bound(occurrences_.begin(), occurrences_.end(), from,
                       [](const Occurrence& o, std::size_t pos) { return o.pos < pos; });
  for (auto it = first; it != occurrences_.end() && it->pos < to; ++it) {
    const std::size_t after = it->pos + phrases_->phrases_[it->phrase].text.size();
    if (after < to ? it->bounded : after == to) present.set(it->phrase);
  }
  // A window that starts inside a word: the rest of that word is a word start to the window.
  if (from == 0 || !IsContextWordByte(text_[from]) || !IsContextWordByte(text_[from - 1])) return;
  const auto& p = *phrases_;
  const auto byte = static_cast<unsigned char>(text_[from]);
  for (auto i = p.first_byte_begin_[byte]; i < p.first_byte_begin_[byte + 1]; ++i) {
    const auto id = p.first_byte_ids_[i];
    const auto& phrase = p.phrases_[id];
    const std::size_t after = from + phrase.text.size();
    if (after > to || !IsAt(from, phrase)) continue;
    if (after == to || !phrase.word_end || !IsContextWordByte(text_[after])) present.set(id);
  }
}

ContextHits ContextIndex::Find(std::size_t start, std::size_t end) const {
  ContextHits hits;
  const auto& p = *phrases_;
  const std::size_t window = p.spec_->window;
  Present present;
  MarkWindow(start > window ? start - window : 0, start, present);
  MarkWindow(end, std::min(text_.size(), end + window), present);
  if (present.none()) return hits;
  for (std::size_t i = 0; i < p.raise_.size(); ++i) {
    if (p.raise_[i] != ContextPhrases::kNoPhrase && present.test(p.raise_[i]))
      hits.raised.push_back(p.spec_->raise[i]);
  }
  for (std::size_t i = 0; i < p.lower_.size(); ++i) {
    if (p.lower_[i] != ContextPhrases::kNoPhrase && present.test(p.lower_[i]))
      hits.lowered.push_back(p.spec_->lower[i]);
  }
  return hits;
}

}  // namespace phiguard::scan
