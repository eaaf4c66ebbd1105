#include "scan/pattern_width.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <vector>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

using Width = std::uint64_t;
constexpr Width kInfinite = kUnboundedWidth;

Width Add(Width a, Width b) { return std::min(a + b, kInfinite); }

Width Times(Width width, Width count) {
  if (width == 0 || count == 0) return 0;
  if (width >= kInfinite || count >= kInfinite) return kInfinite;
  return std::min(width * count, kInfinite);
}

// A recursive descent over the pattern: alternation, sequence, atom, quantifier. Each
// function returns nullopt for syntax it does not know, which the caller reports as
// unbounded: a width too wide only costs time, one too narrow would miss findings.
class WidthWalker {
 public:
  explicit WidthWalker(std::string_view pattern) : pattern_(pattern) {}

  std::optional<Width> Whole() {
    const auto width = Alternation();
    if (!width || pos_ != pattern_.size()) return std::nullopt;
    return width;
  }

  // One part of the pattern's top-level sequence: an atom with its quantifier.
  struct Piece {
    std::string_view text;
    bool repeated = false;  // it had a quantifier
  };
  // The top-level sequence, part by part; nullopt when the top level is an alternation or
  // the syntax is not understood.
  std::optional<std::vector<Piece>> TopLevel() {
    std::vector<Piece> pieces;
    while (!AtEnd()) {
      const std::size_t start = pos_;
      const auto atom = Atom();
      if (!atom) return std::nullopt;
      const std::size_t atom_end = pos_;
      if (!Quantified(*atom)) return std::nullopt;
      pieces.push_back({pattern_.substr(start, pos_ - start), pos_ != atom_end});
      if (Peek() == '|' || Peek() == ')') return std::nullopt;
    }
    return pieces;
  }

 private:
  bool AtEnd() const { return pos_ >= pattern_.size(); }
  char Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < pattern_.size() ? pattern_[pos_ + ahead] : '\0';
  }

  std::optional<Width> Alternation() {
    Width widest = 0;
    for (;;) {
      const auto branch = Sequence();
      if (!branch) return std::nullopt;
      widest = std::max(widest, *branch);
      if (Peek() != '|') return widest;
      ++pos_;
    }
  }

  std::optional<Width> Sequence() {
    Width total = 0;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      const auto atom = Atom();
      if (!atom) return std::nullopt;
      const auto repeated = Quantified(*atom);
      if (!repeated) return std::nullopt;
      total = Add(total, *repeated);
    }
    return total;
  }

  std::optional<Width> Atom() {
    switch (Peek()) {
      case '^':
      case '$':
        ++pos_;
        return 0;
      case '[':
        return Class();
      case '(':
        return Group();
      case '\\':
        return Escape();
      case '*':
      case '+':
      case '?':
        return std::nullopt;  // a quantifier with nothing before it
      default:                // a literal byte, '.', or a '{' that starts no repeat count
        ++pos_;
        return 1;
    }
  }

  std::optional<Width> Escape() {
    ++pos_;  // the backslash
    if (AtEnd()) return std::nullopt;
    const char c = pattern_[pos_++];
    switch (c) {
      case 'b':
      case 'B':
      case 'A':
      case 'z':
      case 'Z':
        return 0;
      case 'x':
        if (Peek() == '{') {
          const auto close = pattern_.find('}', pos_);
          if (close == std::string_view::npos) return std::nullopt;
          pos_ = close + 1;
        } else {
          for (int i = 0; i < 2 && std::isxdigit(static_cast<unsigned char>(Peek())); ++i) ++pos_;
        }
        return 1;
      case 'c':
        if (AtEnd()) return std::nullopt;
        ++pos_;
        return 1;
      case 'p':
      case 'P':
      case 'Q':
      case 'E':
      case 'g':
      case 'k':
      case 'G':
      case 'X':
      case 'R':
        return std::nullopt;  // properties, quoting, back references: not ours to count
      default:
        if (util::IsAsciiDigit(c)) return std::nullopt;  // a back reference or an octal escape
        return 1;                                        // \d \w \s \n \t, or an escaped literal
    }
  }

  std::optional<Width> Class() {
    ++pos_;  // '['
    if (Peek() == '^') ++pos_;
    if (Peek() == ']') ++pos_;  // a ']' first is a literal
    while (!AtEnd() && Peek() != ']') {
      if (Peek() == '\\') {
        pos_ += 2;
        if (pattern_[pos_ - 1] == 'x' && Peek() == '{') {
          const auto close = pattern_.find('}', pos_);
          if (close == std::string_view::npos) return std::nullopt;
          pos_ = close + 1;
        }
      } else if (Peek() == '[' && Peek(1) == ':') {
        const auto close = pattern_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) return std::nullopt;
        pos_ = close + 2;
      } else {
        ++pos_;
      }
    }
    if (AtEnd()) return std::nullopt;
    ++pos_;  // ']'
    return 1;
  }

  std::optional<Width> Group() {
    ++pos_;  // '('
    bool zero_width = false;
    if (Peek() == '?') {
      ++pos_;
      const char kind = Peek();
      if (kind == ':') {
        ++pos_;
      } else if (kind == '=' || kind == '!') {
        ++pos_;
        zero_width = true;
      } else if (kind == '<' && (Peek(1) == '=' || Peek(1) == '!')) {
        pos_ += 2;
        zero_width = true;
      } else if (kind == '#') {
        const auto close = pattern_.find(')', pos_);
        if (close == std::string_view::npos) return std::nullopt;
        pos_ = close + 1;
        return 0;
      } else if (kind == '<' || kind == '\'' || (kind == 'P' && Peek(1) == '<')) {
        const auto close = pattern_.find(kind == '\'' ? '\'' : '>', pos_ + 1);
        if (close == std::string_view::npos) return std::nullopt;
        pos_ = close + 1;
      } else {
        // Option letters: "(?i:...)" groups, "(?i)" applies to the rest. Extended mode
        // changes what whitespace means, which this walker does not follow.
        while (!AtEnd() && (std::isalpha(static_cast<unsigned char>(Peek())) || Peek() == '-')) {
          if (Peek() == 'x') return std::nullopt;
          ++pos_;
        }
        if (Peek() == ')') {
          ++pos_;
          return 0;
        }
        if (Peek() != ':') return std::nullopt;
        ++pos_;
      }
    }
    const auto inner = Alternation();
    if (!inner || Peek() != ')') return std::nullopt;
    ++pos_;
    return zero_width ? 0 : *inner;
  }

  // A repeat count "{n}", "{n,}", "{n,m}" or "{,m}" at the cursor, or nullopt (the '{' is
  // then a literal). Returns the upper count, kInfinite when there is none.
  std::optional<Width> RepeatCount() {
    std::size_t at = pos_ + 1;
    const auto digits = [&] {
      std::optional<Width> value;
      while (at < pattern_.size() && util::IsAsciiDigit(pattern_[at])) {
        value = std::min<Width>(value.value_or(0) * 10 + static_cast<Width>(pattern_[at] - '0'),
                                kInfinite);
        ++at;
      }
      return value;
    };
    const auto lower = digits();
    std::optional<Width> upper = lower;
    if (at < pattern_.size() && pattern_[at] == ',') {
      ++at;
      upper = digits();
      if (!upper) upper = kInfinite;
      if (!lower && *upper >= kInfinite) return std::nullopt;  // "{,}"
    } else if (!lower) {
      return std::nullopt;
    }
    if (at >= pattern_.size() || pattern_[at] != '}') return std::nullopt;
    pos_ = at + 1;
    return upper;
  }

  std::optional<Width> Quantified(Width width) {
    std::optional<Width> count;
    switch (Peek()) {
      case '?':
        ++pos_;
        count = 1;
        break;
      case '*':
      case '+':
        ++pos_;
        count = kInfinite;
        break;
      case '{':
        count = RepeatCount();
        if (!count) return width;  // a literal '{': the next atom
        break;
      default:
        return width;
    }
    if (Peek() == '?' || Peek() == '+') ++pos_;  // lazy or possessive: same width
    if (Peek() == '?' || Peek() == '*' || Peek() == '+' || Peek() == '{') {
      return std::nullopt;  // stacked quantifiers
    }
    return Times(width, *count);
  }

  std::string_view pattern_;
  std::size_t pos_ = 0;
};

}  // namespace

unsigned int MaxWidthBound(std::string_view pattern) {
  const auto width = WidthWalker(pattern).Whole();
  return static_cast<unsigned int>(width ? std::min(*width, kInfinite) : kInfinite);
}

bool SpanGroupIsWholeMatch(std::string_view pattern, unsigned int group) {
  if (group == 0) return true;
  if (group != 1) return false;
  const auto pieces = WidthWalker(pattern).TopLevel();
  if (!pieces) return false;
  // Before the group, single anchors only ("\b", "^"): they hold no group that would
  // come first in the numbering.
  const auto is_anchor = [](std::string_view text) {
    return text == "^" || text == "$" || text == "\\b" || text == "\\B" || text == "\\A" ||
           text == "\\z" || text == "\\Z";
  };
  std::size_t i = 0;
  while (i < pieces->size() && is_anchor((*pieces)[i].text)) ++i;
  if (i == pieces->size()) return false;
  const auto& candidate = (*pieces)[i];
  if (candidate.repeated || candidate.text.size() < 2 || candidate.text[0] != '(' ||
      candidate.text[1] == '?') {
    return false;  // not the first capture group, or repeated, or a group of another kind
  }
  // After it, anything that matches no bytes (its own groups come after it in the numbering).
  return std::all_of(pieces->begin() + static_cast<std::ptrdiff_t>(i) + 1, pieces->end(),
                     [](const auto& piece) { return MaxWidthBound(piece.text) == 0; });
}

}  // namespace phiguard::scan
