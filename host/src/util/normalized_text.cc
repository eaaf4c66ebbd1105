#include "util/normalized_text.h"

#include <algorithm>
#include <array>

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

// Latin letters with diacritics read as their base letter ("Wiśniewski" as "Wisniewski",
// "Nguyễn" as "Nguyen"): name shapes, name lists and English-word checks are ASCII, and a
// patient's name must not slip past them for one accent. One letter each (ß as 's', Æ as
// 'A') so every folded character stays one byte. '_' marks code points left as they are.
constexpr std::string_view kLatinFoldFromC0 =
    "AAAAAAACEEEEIIIIDNOOOOO_OUUUUYTsaaaaaaaceeeeiiiidnooooo_ouuuuyty"
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs"
    "bB_____Cc_D______FfG___IKkl__Nn_Oo__Pp_____tTtTUu_VYyZz_________"
    "_____________AaIiOoUuUuUuUuUu_AaAa____GgKkOoOo__j___Gg__NnAa____"
    "AaAaEeEeIiIiOoOoRrRrUuUuSsTt__Hh_d__ZzAaEeOoOoOoOoYylntj__ACcLTs"
    "z__BU_EeJjQqRrYy";  // U+00C0 to U+024F
constexpr std::string_view kLatinFoldFrom1E00 =
    "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm"
    "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv"
    "WwWwWwWwWwXxXxYyZzZzZzhtwy______AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe"
    "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy______";  // U+1E00 to U+1EFF

char32_t LatinBaseLetter(char32_t cp) {
  const auto code = static_cast<std::size_t>(cp);
  char folded = '_';
  if (code >= 0xC0 && code - 0xC0 < kLatinFoldFromC0.size()) {
    folded = kLatinFoldFromC0[code - 0xC0];
  } else if (code >= 0x1E00 && code - 0x1E00 < kLatinFoldFrom1E00.size()) {
    folded = kLatinFoldFrom1E00[code - 0x1E00];
  }
  return folded == '_' ? char32_t{0} : static_cast<char32_t>(static_cast<unsigned char>(folded));
}

// Combining accents (U+0300 to U+036F) follow their letter in decomposed text, as macOS
// and some keyboards write it: dropped, so "e" + U+0301 reads as the "e" it decorates.
bool IsCombiningMark(char32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

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
    // tabs between their groups or after their label ("MRN:\t44820193"). So does a caret,
    // the field separator of HL7 and of wristband barcodes ("^MRN^^40771236^^HOLLOWAY^BEATRIX").
    buffer[0] = cp == U'\t' || cp == U'^' ? U' ' : cp;
    return {buffer, 1};
  }
  if (IsDroppedFormatCharacter(cp) || IsCombiningMark(cp)) return {};
  if (IsDash(cp)) {
    buffer[0] = U'-';
  } else if (IsDot(cp)) {
    buffer[0] = U'.';
  } else if (IsSlash(cp)) {
    buffer[0] = U'/';
  } else if (IsSpace(cp)) {
    buffer[0] = U' ';
  } else if (char32_t letter = LatinBaseLetter(cp)) {
    buffer[0] = letter;
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
  // Positions in text_ of ASCII tabs and line breaks, for FoldBreaksInNumbers.
  std::vector<std::uint32_t> layout_breaks;
  // Positions in text_ of dots folded from middle dots and their look-alikes.
  std::vector<std::uint32_t> folded_dots;
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
      for (std::size_t i = appended; i < text_.size(); ++i) {
        const char c = text_[i];
        if (c == '^') text_[i] = ' ';  // a field separator, as in FoldCodePoint
        if (c != '\t' && c != '\n' && c != '\r') continue;
        layout_breaks.push_back(static_cast<std::uint32_t>(i));
        if (c == '\t') text_[i] = ' ';
      }
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
    if (IsDot(decoded->code_point)) folded_dots.push_back(static_cast<std::uint32_t>(before));
    for (char32_t folded : FoldCodePoint(decoded->code_point, buffer)) AppendUtf8(text_, folded);
    source_of_byte_.insert(source_of_byte_.end(), text_.size() - before, index);
    pos += decoded->length;
    utf16 += Utf16Length(decoded->code_point);
  }
  code_points_.push_back({static_cast<std::uint32_t>(original.size()), utf16});
  FoldBreaksInNumbers(layout_breaks);
  FoldDottedDates(folded_dots);
  FoldPhoneSlashes();
  FoldShoutedLines();
}

namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool GroupSeparator(char c) { return c == '-' || c == '.' || c == '/'; }

// What to do with a run of tabs and line breaks, given the bytes around it.
enum class BreakFold { kKeep, kDrop, kOneSpace };

BreakFold DecideBreakFold(std::string_view text, std::size_t start, std::size_t end,
                          int line_breaks) {
  // Two line breaks are a paragraph: never inside one number.
  if (line_breaks > 1 || start == 0 || end >= text.size()) return BreakFold::kKeep;
  const char before = text[start - 1];
  const char after = text[end];
  const auto at = [&](std::size_t i) { return i < text.size() ? text[i] : '\0'; };
  // "524-71-\n3308", "03/14/\n2024": the separator stays, the break goes.
  if (GroupSeparator(before) && start >= 2 && Digit(text[start - 2]) && Digit(after)) {
    return BreakFold::kDrop;
  }
  // "524-71\n-3308"
  if (Digit(before) && GroupSeparator(after) && Digit(at(end + 1))) return BreakFold::kDrop;
  if (line_breaks == 0) return BreakFold::kKeep;  // tabs alone already read as spaces
  // "524 71\n3308": a break between digit groups reads as the space a tab does.
  if (Digit(before) && Digit(after)) return BreakFold::kOneSpace;
  // "MRN:\n00739154", "MR#\n5530286", "Member ID:\nKPW607218834": a label, then a value
  // that starts with a digit or with up to four capitals and then a digit.
  if (before == ':' || before == '#') {
    std::size_t k = end;
    while (k < end + 4 && at(k) >= 'A' && at(k) <= 'Z') ++k;
    if (Digit(at(k))) return BreakFold::kOneSpace;
  }
  return BreakFold::kKeep;
}

}  // namespace

void NormalizedText::FoldBreaksInNumbers(const std::vector<std::uint32_t>& breaks) {
  if (breaks.empty()) return;
  std::vector<bool> drop;  // sized only when something is dropped
  std::size_t i = 0;
  while (i < breaks.size()) {
    // One run: consecutive positions of tabs and line breaks.
    std::size_t j = i + 1;
    while (j < breaks.size() && breaks[j] == breaks[j - 1] + 1) ++j;
    const std::size_t start = breaks[i];
    const std::size_t end = breaks[j - 1] + 1;
    int line_breaks = 0;
    for (std::size_t k = start; k < end; ++k) {
      // CR LF is one break; a lone CR (old Mac text) is one too.
      if (text_[k] == '\n' || (text_[k] == '\r' && (k + 1 >= end || text_[k + 1] != '\n'))) {
        ++line_breaks;
      }
    }
    const auto fold = DecideBreakFold(text_, start, end, line_breaks);
    if (fold != BreakFold::kKeep) {
      if (drop.empty()) drop.assign(text_.size(), false);
      std::size_t k = start;
      if (fold == BreakFold::kOneSpace) text_[k++] = ' ';
      for (; k < end; ++k) drop[k] = true;
    }
    i = j;
  }
  if (drop.empty()) return;
  // One compaction: the dropped bytes leave text_ and the map together, so every other
  // byte still maps to the code point it came from (a dropped tab or break maps to nothing,
  // like a zero-width space).
  std::size_t out = 0;
  for (std::size_t k = 0; k < text_.size(); ++k) {
    if (drop[k]) continue;
    text_[out] = text_[k];
    source_of_byte_[out] = source_of_byte_[k];
    ++out;
  }
  text_.resize(out);
  source_of_byte_.resize(out);
}

namespace {

bool DigitsAt(std::string_view text, std::size_t start, std::size_t count) {
  if (start + count > text.size()) return false;
  for (std::size_t k = start; k < start + count; ++k) {
    if (!Digit(text[k])) return false;
  }
  return true;
}

// No digit, slash or letter right outside the number: "site.org/412/555/0187" is a path.
bool Boundary(std::string_view text, std::size_t at, bool before) {
  if (before ? at == 0 : at >= text.size()) return true;
  const char c = text[before ? at - 1 : at];
  return !Digit(c) && c != '/' && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

bool PhoneSeparator(char c) { return c == '-' || c == '.' || c == '/' || c == ' '; }

// Whether the '/' at `at` separates the groups of a ten-digit phone number, NNN/NNN/NNNN or
// with another separator in one place. No date has three digits before a slash, so a date
// is never read as a phone.
bool IsPhoneSlash(std::string_view text, std::size_t at) {
  // The first separator: NNN / NNN ? NNNN
  if (at >= 3 && DigitsAt(text, at - 3, 3) && Boundary(text, at - 3, true) &&
      DigitsAt(text, at + 1, 3) && at + 4 < text.size() && PhoneSeparator(text[at + 4]) &&
      DigitsAt(text, at + 5, 4) && Boundary(text, at + 9, false)) {
    return true;
  }
  // The second: NNN ? NNN / NNNN
  return at >= 7 && DigitsAt(text, at - 3, 3) && PhoneSeparator(text[at - 4]) &&
         DigitsAt(text, at - 7, 3) && Boundary(text, at - 7, true) && DigitsAt(text, at + 1, 4) &&
         Boundary(text, at + 5, false);
}

// Digits at `at`: how many (up to `most`), stopping at the first other byte.
std::size_t CountDigits(std::string_view text, std::size_t at, std::size_t most) {
  std::size_t n = 0;
  while (n < most && at + n < text.size() && Digit(text[at + n])) ++n;
  return n;
}

}  // namespace

// "admitted 3·6", "since 10·02", "3·14·24": a middle dot between a month and a day is a date
// typed with a phone's punctuation, where an ASCII '.' between short groups is as often a
// decimal ("2.5 mg"). Groups of one or two digits (and a year of two or four) around folded
// dots read as a slashed date; "330·555·0148" keeps its dots for the phone patterns.
void NormalizedText::FoldDottedDates(const std::vector<std::uint32_t>& dots) {
  for (std::size_t i = 0; i < dots.size(); ++i) {
    const std::size_t at = dots[i];
    std::size_t first = at;
    while (first > 0 && at - first < 3 && Digit(text_[first - 1])) --first;
    if (first == at || at - first > 2 || !Boundary(text_, first, true)) continue;
    const std::size_t second = CountDigits(text_, at + 1, 3);
    if (second == 0 || second > 2) continue;
    std::size_t end = at + 1 + second;
    bool with_year = false;
    if (i + 1 < dots.size() && dots[i + 1] == end) {
      const std::size_t year = CountDigits(text_, end + 1, 5);
      if (year != 2 && year != 4) continue;
      end += 1 + year;
      with_year = true;
    }
    if (!Boundary(text_, end, false) || (end < text_.size() && text_[end] == '-')) continue;
    // Byte for byte ('.' to '/'), so the offset map is unchanged.
    text_[at] = '/';
    if (with_year) text_[dots[++i]] = '/';
  }
}

namespace {

// A line is shouted when it has enough letters to tell (a heading such as "UPDATE:" is not)
// and nearly all of them are capitals.
constexpr std::size_t kShoutedLineMinLetters = 20;
constexpr std::size_t kShoutedLinePercentUpper = 85;
// Words this long or longer are words, not acronyms, and take the case of a written name.
constexpr std::size_t kShoutedWordMinLetters = 4;

bool AsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool AsciiLetter(char c) { return AsciiUpper(c) || (c >= 'a' && c <= 'z'); }

bool IsShouted(std::string_view line) {
  std::size_t letters = 0;
  std::size_t upper = 0;
  for (const char c : line) {
    if (!AsciiLetter(c)) continue;
    ++letters;
    if (AsciiUpper(c)) ++upper;
  }
  return letters >= kShoutedLineMinLetters && upper * 100 >= letters * kShoutedLinePercentUpper;
}

// Short words that are English words, not acronyms: lower case, as patterns expect the
// words around a name or a number ("IN 14" reads "in 14"). Others of three letters or fewer
// (ICU, EMS, RN, PT, DOB, ER) stay capitals.
constexpr std::array<std::string_view, 60> kShortWords = {
    "A",   "AN",  "THE", "AT",  "IN",  "ON",  "OF",  "TO",  "AND", "FOR", "BY",  "IS",
    "WAS", "ARE", "BE",  "HE",  "SHE", "HIS", "HER", "HIM", "IT",  "WE",  "ME",  "MY",
    "OUR", "YOU", "HAS", "HAD", "GOT", "GET", "NOT", "BUT", "SO",  "UP",  "OUT", "OFF",
    "ALL", "ONE", "TWO", "NEW", "OLD", "MAN", "GUY", "KID", "BOY", "WHO", "DID", "DO",
    "IF",  "AS",  "NO",  "SIR", "MOM", "DAD", "SON", "DAY", "HIT", "SAW", "SAY", "ASK"};

// "MRS" and "MR" are titles whatever their length; "MS" and "DR" are titles only with their
// dot, since as words they are also acronyms (multiple sclerosis).
bool IsShoutedTitle(std::string_view word, char next) {
  return word == "MR" || word == "MRS" || ((word == "MS" || word == "DR") && next == '.');
}

void LowerFrom(std::string& text, std::size_t start, std::size_t end) {
  for (std::size_t i = start; i < end; ++i) {
    if (AsciiUpper(text[i])) text[i] = static_cast<char>(text[i] - 'A' + 'a');
  }
}

void LowerAfterFirst(std::string& text, std::size_t start, std::size_t end) {
  LowerFrom(text, start + 1, end);
}

}  // namespace

void NormalizedText::FoldShoutedLines() {
  // Byte for byte (ASCII capitals to small letters), so the offset map is unchanged.
  std::size_t line_start = 0;
  while (line_start < text_.size()) {
    std::size_t line_end = text_.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text_.size();
    if (IsShouted(std::string_view(text_).substr(line_start, line_end - line_start))) {
      for (std::size_t i = line_start; i < line_end;) {
        if (!AsciiLetter(text_[i])) {
          ++i;
          continue;
        }
        std::size_t word_end = i;
        // An apostrophe inside a word keeps it one word ("ABERNATHY'S").
        while (word_end < line_end && (AsciiLetter(text_[word_end]) ||
                                       (text_[word_end] == '\'' && word_end + 1 < line_end &&
                                        AsciiLetter(text_[word_end + 1])))) {
          ++word_end;
        }
        const std::string_view word = std::string_view(text_).substr(i, word_end - i);
        const char next = word_end < text_.size() ? text_[word_end] : '\0';
        // A letter glued to digits ("5TH", "F-250") is part of a number, not a word.
        const bool after_digit = i > 0 && Digit(text_[i - 1]);
        if (after_digit) {
          // "5TH", "F-250" stay as typed.
        } else if (word.size() >= kShoutedWordMinLetters || IsShoutedTitle(word, next)) {
          LowerAfterFirst(text_, i, word_end);
        } else if (std::find(kShortWords.begin(), kShortWords.end(), word) != kShortWords.end()) {
          LowerFrom(text_, i, word_end);
        }
        i = word_end;
      }
    }
    line_start = line_end + 1;
  }
}

void NormalizedText::FoldPhoneSlashes() {
  // Byte for byte ('/' to '-'), so the offset map is unchanged.
  for (auto at = text_.find('/'); at != std::string::npos; at = text_.find('/', at + 1)) {
    if (IsPhoneSlash(text_, at)) text_[at] = '-';
  }
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
