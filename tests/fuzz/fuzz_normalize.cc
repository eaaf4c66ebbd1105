// libFuzzer target: normalisation and the offset map, on arbitrary bytes (valid UTF-8 or
// not: NormalizedText keeps invalid bytes as they are). Properties: every span of the
// folded text maps inside the original; single bytes map in order; for valid UTF-8 the
// folded text is valid UTF-8 and every mapped span sits on code point boundaries with
// UTF-16 offsets that agree with the bytes (no split surrogate pairs).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"

namespace {

using namespace phiguard;

// Spans chosen by the input itself, so the fuzzer steers them: pairs of 16-bit values.
void CheckChosenSpans(std::string_view input, const util::NormalizedText& normalized,
                      const std::vector<std::uint32_t>* utf16_at) {
  const std::size_t folded = normalized.text().size();
  if (folded == 0) return;
  for (std::size_t i = 0; i + 4 <= input.size() && i < 64; i += 4) {
    const auto pair = [&](std::size_t at) {
      return std::size_t{static_cast<unsigned char>(input[at])} << 8 |
             std::size_t{static_cast<unsigned char>(input[at + 1])};
    };
    const std::size_t a = pair(i) % folded;
    const std::size_t b = pair(i + 2) % (folded + 1);
    const std::size_t start = a < b ? a : b;
    const std::size_t end = a < b ? b : a + 1;
    const auto span = normalized.ToOriginal(start, end);
    fuzz::Check(span.byte_start < span.byte_end, "non-empty span maps to a non-empty span",
                span.byte_start, span.byte_end);
    fuzz::Check(span.byte_end <= input.size(), "span inside the original", span.byte_end, 0,
                input.size());
    if (utf16_at) fuzz::CheckSpan(span, *utf16_at, /*non_empty=*/true);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  phiguard::fuzz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const bool valid = util::IsValidUtf8(input);
  const util::NormalizedText normalized(input);
  const std::string& text = normalized.text();
  // Every fold is to ASCII or to the code point itself, so the folded text never grows
  // (the scanner's buffers are sized from the original).
  fuzz::Check(text.size() <= size, "folding never lengthens the text", text.size(), size);
  std::vector<std::uint32_t> utf16_at;
  if (valid) {
    fuzz::Check(util::IsValidUtf8(text), "folding keeps UTF-8 valid");
    utf16_at = fuzz::Utf16AtByte(input);
  }
  // Every single byte of the folded text, in order: starts never go backwards.
  std::uint32_t previous_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto span = normalized.ToOriginal(i, i + 1);
    fuzz::Check(span.byte_start >= previous_start, "mapping is monotone", previous_start,
                span.byte_start);
    fuzz::Check(span.byte_end <= size && span.byte_start < span.byte_end,
                "one folded byte maps to original bytes", span.byte_start, span.byte_end, size);
    if (valid) fuzz::CheckSpan(span, utf16_at, /*non_empty=*/true);
    previous_start = span.byte_start;
  }
  // The whole folded text, and empty spans at both ends.
  if (!text.empty()) {
    const auto whole = normalized.ToOriginal(0, text.size());
    fuzz::Check(whole.byte_end <= size, "whole text inside the original", whole.byte_end, 0, size);
    if (valid) fuzz::CheckSpan(whole, utf16_at, /*non_empty=*/true);
  }
  for (const std::size_t at : {std::size_t{0}, text.size()}) {
    const auto empty = normalized.ToOriginal(at, at);
    fuzz::Check(empty.byte_start == empty.byte_end && empty.byte_end <= size,
                "empty span maps to an empty span inside the text", empty.byte_start,
                empty.byte_end, size);
    if (valid) fuzz::CheckSpan(empty, utf16_at, /*non_empty=*/false);
  }
  CheckChosenSpans(input, normalized, valid ? &utf16_at : nullptr);
  return 0;
}
