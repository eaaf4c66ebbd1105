// libFuzzer target: the rule-pack loader on arbitrary JSON, and for packs it accepts, the
// rest of what a host does with a pack from outside: compile both engines (limits
// included), scan each rule's own examples and negatives, and check the offsets.
// Properties: no crash, no hang; a loaded pack names itself and holds at least one rule;
// findings lie inside the example they came from.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "scan/scanner.h"

namespace {

using namespace phiguard;

void ScanOwnExamples(const std::shared_ptr<const scan::CompiledRules>& set) {
  scan::Scanner scanner(set);
  for (const auto& pack : set->packs()) {
    for (const auto& rule : pack.rules) {
      for (const auto* texts : {&rule.examples, &rule.negatives}) {
        for (const auto& text : *texts) {
          if (!util::IsValidUtf8(text)) continue;  // the scanner's contract; JSON strings are
          const auto utf16_at = fuzz::Utf16AtByte(text);
          for (const auto& finding : scanner.Scan(text).findings) {
            fuzz::CheckSpan(finding.original, utf16_at, /*non_empty=*/true);
          }
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  phiguard::fuzz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json_text(reinterpret_cast<const char*>(data), size);
  auto pack = rules::ParsePack(json_text, "fuzz.json");
  if (!pack.ok()) {
    fuzz::Check(!pack.error().reason.empty(), "an error says why");
    return 0;
  }
  fuzz::Check(!pack.value().id.empty() && !pack.value().rules.empty(),
              "a loaded pack has an id and rules");
  std::vector<rules::Pack> packs;
  packs.push_back(std::move(pack).value());
  scan::BuildOptions options;
  // No cache: one cache file per input would fill the disk.
  auto built = scan::CompiledRules::Build(std::move(packs), options);
  if (!built.ok()) {
    fuzz::Check(!built.error().reason.empty(), "a compile error says why");
    return 0;
  }
  ScanOwnExamples(built.value());
  return 0;
}
