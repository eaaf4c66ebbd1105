#include "util/normalized_text.h"

#include <algorithm>

#include "util/utf8.h"

namespace phiguard::util {
namespace {

bool IsDroppedFormatCharacter(char32_t cp) {
  switch (cp) {
    case 0x00AD:  // soft hyphen
    case 0x180E:  // Mongolian vowel separator
    case 0x200B:  // zero width space
    case 0x200C:  // zero width non-joiner
    case 0x200D:  // zero width joiner
    case 0x2060:  // word joiner
    case 0xFEFF:  // zero width no-break space / BOM
    // Bidi marks and isolates: copying a number out of a spreadsheet or an EHR screen can
    // put a left-to-right mark between its groups, invisible to the person posting it.
    case 0x061C:  // Arabic letter mark
    case 0x200E:  // left-to-right mark
    case 0x200F:  // right-to-left mark
    case 0x202A:
    case 0x202B:
    case 0x202C:
    case 0x202D:
    case 0x202E:  // embeddings and overrides
    case 0x2066:
    case 0x2067:
    case 0x2068:
    case 0x2069:  // isolates
      return true;
    default:
      return false;
  }
}

bool IsDash(char32_t cp) {
  return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63 ||
         cp == 0xFF0D || cp == 0x2043;
}

// Dots people type between digit groups ("330·555·0148", "3·14·24"): the middle dot and
// its look-alikes read as '.', so phone and date patterns written for dots match them.
bool IsDot(char32_t cp) {
  return cp == 0x00B7 || cp == 0x2024 || cp == 0x2027 || cp == 0x2219 || cp == 0x22C5 ||
         cp == 0x30FB || cp == 0xFE52;
}

// Division and fraction slashes ("3∕14∕2024") read as '/'.
bool IsSlash(char32_t cp) { return cp == 0x2215 || cp == 0x2044; }

bool IsSpace(char32_t cp) {
  return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

// Decimal digits from scripts people paste numbers in; each block is 10 consecutive values.
char32_t DigitValue(char32_t cp) {
  static constexpr char32_t kZeros[] = {0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66,
                                        0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
                                        0x0E50, 0x0ED0, 0x0F20, 0x1040, 0xFF10};
  for (char32_t zero : kZeros) {
    if (cp >= zero && cp < zero + 10) return U'0' + (cp - zero);
  }
  // Mathematical digits come in five runs of ten from U+1D7CE.
  if (cp >= 0x1D7CE && cp <= 0x1D7FF) return U'0' + (cp - 0x1D7CE) % 10;
  return 0;
}

}  // namespace

std::u32string_view FoldCodePoint(char32_t cp, char32_t (&buffer)[1]) {
  if (cp < 0x80) {
    // A tab reads as a space: numbers copied out of spreadsheets and EHR tables arrive with
    // tabs between their groups or after their label ("MRN:\t44820193").
    buffer[0] = cp == U'\t' ? U' ' : cp;
    return {buffer, 1};
  }
  if (IsDroppedFormatCharacter(cp)) return {};
  if (IsDash(cp)) {
    buffer[0] = U'-';
  } else if (IsDot(cp)) {
    buffer[0] = U'.';
  } else if (IsSlash(cp)) {
    buffer[0] = U'/';
  } else if (IsSpace(cp)) {
    buffer[0] = U' ';
  } else if (char32_t digit = DigitValue(cp)) {
    buffer[0] = digit;
  } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
    buffer[0] = cp - 0xFF01 + 0x21;  // fullwidth ASCII forms
  } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x2032) {
    buffer[0] = U'\'';  // "patient’s" must match "patient's"
  } else if (cp == 0x201C || cp == 0x201D) {
    buffer[0] = U'"';
  } else if (cp == 0x2116) {
    buffer[0] = U'#';  // numero sign: "№ 12345"
  } else {
    buffer[0] = cp;
  }
  return {buffer, 1};
}

NormalizedText::NormalizedText(std::string_view original) {
  text_.reserve(original.size());
  source_of_byte_.reserve(original.size());
  code_points_.reserve(original.size() + 1);

  std::uint32_t utf16 = 0;
  std::size_t pos = 0;
  while (pos < original.size()) {
    // ASCII folds to itself and is most of any post: copy a whole run at once, without the
    // decoder, one code point (and one UTF-16 unit) per byte.
    if (static_cast<unsigned char>(original[pos]) < 0x80) {
      std::size_t run_end = pos + 1;
      while (run_end < original.size() && static_cast<unsigned char>(original[run_end]) < 0x80) {
        ++run_end;
      }
      const std::size_t appended = text_.size();
      text_.append(original.data() + pos, run_end - pos);
      std::replace(text_.begin() + static_cast<std::ptrdiff_t>(appended), text_.end(), '\t', ' ');
      for (; pos < run_end; ++pos, ++utf16) {
        source_of_byte_.push_back(static_cast<std::uint32_t>(code_points_.size()));
        code_points_.push_back({static_cast<std::uint32_t>(pos), utf16});
      }
      continue;
    }
    const auto index = static_cast<std::uint32_t>(code_points_.size());
    code_points_.push_back({static_cast<std::uint32_t>(pos), utf16});
    const auto decoded = DecodeUtf8At(original, pos);
    if (!decoded) {  // keep an invalid byte as it is, counted as one unit
      text_.push_back(original[pos]);
      source_of_byte_.push_back(index);
      ++pos;
      ++utf16;
      continue;
    }
    char32_t buffer[1];
    const std::size_t before = text_.size();
    for (char32_t folded : FoldCodePoint(decoded->code_point, buffer)) AppendUtf8(text_, folded);
    source_of_byte_.insert(source_of_byte_.end(), text_.size() - before, index);
    pos += decoded->length;
    utf16 += Utf16Length(decoded->code_point);
  }
  code_points_.push_back({static_cast<std::uint32_t>(original.size()), utf16});
}

OriginalSpan NormalizedText::ToOriginal(std::size_t start, std::size_t end) const {
  if (text_.empty() || start >= end) {
    const auto& at =
        start < source_of_byte_.size() ? code_points_[source_of_byte_[start]] : code_points_.back();
    return {at.byte, at.byte, at.utf16, at.utf16};
  }
  if (end > text_.size()) end = text_.size();
  const auto& first = code_points_[source_of_byte_[start]];
  const auto& after_last = code_points_[source_of_byte_[end - 1] + 1];
  return {first.byte, after_last.byte, first.utf16, after_last.utf16};
}

}  // namespace phiguard::util
