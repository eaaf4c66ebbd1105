#include "rules/pattern_fragments.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace phiguard::rules {
namespace {

constexpr std::size_t kMaxFragmentName = 64;

// Walks `pattern`, handing literal stretches to `on_text` and reference names to
// `on_reference` in order. Returns why it stopped early: a `{{` that is not a reference,
// or what `on_reference` returned.
template <typename OnText, typename OnReference>
std::optional<std::string> Walk(std::string_view pattern, OnText on_text,
                                OnReference on_reference) {
  std::size_t literal_start = 0;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '\\') {  // `\{{` is a literal brace and then a '{'
      i += 2;
      continue;
    }
    if (pattern.substr(i, 2) != "{{") {
      ++i;
      continue;
    }
    const auto close = pattern.find("}}", i + 2);
    if (close == std::string_view::npos) {
      return std::string(
          "'{{' without '}}': a fragment reference is {{name}} (a literal brace "
          "is \\{)");
    }
    const auto name = pattern.substr(i + 2, close - i - 2);
    if (!IsValidFragmentName(name)) {
      return "'{{" + std::string(name.substr(0, 40)) +
             "}}' is not a fragment reference: a name is a-z, 0-9 and _, starting with a "
             "letter (a literal brace is \\{)";
    }
    on_text(pattern.substr(literal_start, i - literal_start));
    if (auto stop = on_reference(name)) return stop;
    i = close + 2;
    literal_start = i;
  }
  on_text(pattern.substr(std::min(literal_start, pattern.size())));
  return std::nullopt;
}

std::string UnknownFragment(std::string_view name, const Fragments& known) {
  std::string reason = "unknown fragment '{{" + std::string(name) + "}}'";
  if (known.empty()) return reason + " (the pack defines no fragments)";
  reason += " (the pack defines";
  const char* separator = " ";
  for (const auto& [known_name, text] : known) {
    reason += separator + known_name;
    separator = ", ";
  }
  return reason + ")";
}

std::string TooLong(std::size_t max_length) {
  return "too long: over " + std::to_string(max_length) +
         " bytes once spacing is removed and fragments are expanded";
}

// Depth-first expansion of fragments into `resolved`; `in_progress` is the chain of
// fragments being expanded, so meeting one of them again is a cycle.
class Resolver {
 public:
  Resolver(const Fragments& written, std::size_t max_length)
      : written_(written), max_length_(max_length) {}

  std::optional<util::Error> Resolve(const std::string& name) {
    if (resolved_.contains(name)) return std::nullopt;
    in_progress_.push_back(name);
    std::string text;
    std::optional<util::Error> inner;
    auto stop = Walk(
        written_.find(name)->second, [&](std::string_view literal) { text.append(literal); },
        [&](std::string_view reference) -> std::optional<std::string> {
          const auto cycle = std::find(in_progress_.begin(), in_progress_.end(), reference);
          if (cycle != in_progress_.end()) return CycleReason(cycle, reference);
          const auto it = written_.find(reference);
          if (it == written_.end()) return UnknownFragment(reference, written_);
          if (auto error = Resolve(it->first)) {
            inner = std::move(error);
            return std::string();  // stop; `inner` says why
          }
          text += resolved_.find(reference)->second;
          if (text.size() > max_length_) return TooLong(max_length_);
          return std::nullopt;
        });
    if (inner) return inner;
    if (!stop && text.size() > max_length_) stop = TooLong(max_length_);
    if (stop) return util::Error{"fragment " + name, *stop};
    in_progress_.pop_back();
    resolved_.emplace(name, std::move(text));
    return std::nullopt;
  }

  Fragments Take() { return std::move(resolved_); }

 private:
  std::string CycleReason(std::vector<std::string>::const_iterator from,
                          std::string_view back_to) const {
    std::string chain;
    for (auto it = from; it != in_progress_.end(); ++it) chain += *it + " -> ";
    return "refers to itself: " + chain + std::string(back_to);
  }

  const Fragments& written_;
  const std::size_t max_length_;
  Fragments resolved_;
  std::vector<std::string> in_progress_;
};

}  // namespace

bool IsValidFragmentName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxFragmentName && name.front() >= 'a' &&
         name.front() <= 'z' && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

util::Result<std::string> ExpandFragments(std::string_view pattern, const Fragments& fragments,
                                          std::size_t max_length) {
  std::string out;
  const auto stop = Walk(
      pattern, [&](std::string_view literal) { out.append(literal); },
      [&](std::string_view name) -> std::optional<std::string> {
        const auto it = fragments.find(name);
        if (it == fragments.end()) return UnknownFragment(name, fragments);
        out += it->second;
        if (out.size() > max_length) return TooLong(max_length);
        return std::nullopt;
      });
  if (stop) return util::Error{"", *stop};
  if (out.size() > max_length) return util::Error{"", TooLong(max_length)};
  return out;
}

util::Result<Fragments> ResolveFragments(const Fragments& written, std::size_t max_length) {
  for (const auto& [name, text] : written) {
    if (!IsValidFragmentName(name)) {
      return util::Error{"fragment " + name,
                         "a fragment name is a-z, 0-9 and _, starting with a letter, at most 64"};
    }
  }
  Resolver resolver(written, max_length);
  for (const auto& [name, text] : written) {
    if (auto error = resolver.Resolve(name)) return *error;
  }
  return resolver.Take();
}

}  // namespace phiguard::rules
