// libFuzzer target: the scanner with the default packs, on arbitrary text (made valid
// UTF-8, as the protocol guarantees). Property: every finding and every cue lies inside
// the text, is not empty, and its UTF-16 offsets never split a surrogate pair.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "scan/scanner.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  phiguard::fuzz::QuietLogs();
  phiguard::fuzz::DefaultRules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace phiguard;
  static scan::Scanner scanner(fuzz::DefaultRules());
  const std::string text = fuzz::MakeValidUtf8({reinterpret_cast<const char*>(data), size});
  const auto utf16_at = fuzz::Utf16AtByte(text);
  const auto output = scanner.Scan(text);
  for (const auto* list : {&output.findings, &output.cues}) {
    for (const auto& finding : *list) {
      fuzz::Check(finding.rule != nullptr, "finding names its rule");
      fuzz::CheckSpan(finding.original, utf16_at, /*non_empty=*/true);
    }
  }
  // Findings come back in text order (the extension draws them left to right).
  for (std::size_t i = 1; i < output.findings.size(); ++i) {
    fuzz::Check(
        output.findings[i - 1].original.byte_start <= output.findings[i].original.byte_start,
        "findings in text order", output.findings[i - 1].original.byte_start,
        output.findings[i].original.byte_start);
  }
  return 0;
}
