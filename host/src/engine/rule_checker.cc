#include "engine/rule_checker.h"

#include <re2/re2.h>

#include <algorithm>
#include <climits>
#include <regex>
#include <set>

#include "scan/compiled_rules.h"
#include "scan/hyperscan_database.h"
#include "scan/pattern_width.h"
#include "scan/scanner.h"
#include "util/normalized_text.h"

namespace phiguard::engine {
namespace {

using Level = CheckProblem::Level;

// NOTE: Hyperscan's compile time and bytecode grow with bounded repeats; {0,1000} is
// already a large NFA. 100 covers every real identifier.
constexpr unsigned long kLargestSensibleRepeat = 100;

std::string Where(const rules::Pack& pack, const rules::Rule& rule) {
  return pack.source + ": " + rule.id;
}

void LintRule(const rules::Pack& pack, const rules::Rule& rule, const scan::CompiledRule& compiled,
              CheckReport& report) {
  const auto warn = [&](std::string message) {
    report.problems.push_back({Level::kWarning, Where(pack, rule), std::move(message)});
  };
  if (rule.negatives.empty()) warn("has no negatives: add texts that must not match");
  if (!rule.pattern.empty()) {
    static const std::regex kRepeat(R"(\{(\d+)(?:,(\d*))?\})");
    for (std::sregex_iterator it(rule.pattern.begin(), rule.pattern.end(), kRepeat), end; it != end;
         ++it) {
      const auto& m = *it;
      const unsigned long low = std::stoul(m[1].str());
      const unsigned long high = m[2].matched && !m[2].str().empty() ? std::stoul(m[2].str()) : low;
      if (std::max(low, high) > kLargestSensibleRepeat) {
        warn("huge bounded repeat " + m.str() + ": slow to compile and scan");
      }
    }
    // Hyperscan's own width; the pattern may not compile there (CheckPacks reports that).
    const auto exact = scan::AnalyseExpression(rule.pattern, rule.caseless ? HS_FLAG_CASELESS : 0u);
    const auto hyperscan_width = exact.ok() ? exact.value().max_width : compiled.max_width;
    const auto bound = scan::MaxWidthBound(rule.pattern);
    if (hyperscan_width == UINT_MAX) {
      warn("pattern is unbounded (uses * or +): confirm runs on the whole text before a match");
    } else if (bound != hyperscan_width) {
      // A warm start reads widths from the pattern text (MaxWidthBound), not from Hyperscan:
      // where the two differ, the confirm window is wider than the pattern needs, or the
      // syntax is one the reader does not follow and edit rescans lose their locality.
      warn("width read from the pattern text (" +
           (bound == scan::kUnboundedWidth ? std::string("unbounded") : std::to_string(bound)) +
           ") is not Hyperscan's (" + std::to_string(hyperscan_width) +
           "): write the repeat or class in a form the width reader follows");
    }
    if (std::any_of(rule.pattern.begin(), rule.pattern.end(),
                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
      warn("pattern has non-ASCII characters: the scan matches bytes, so classes like [é] fail");
    }
  }
}

bool HasRule(const scan::ScanOutput& output, const std::string& id) {
  const auto is_rule = [&](const scan::Finding& f) { return f.rule->id == id; };
  return std::any_of(output.findings.begin(), output.findings.end(), is_rule) ||
         std::any_of(output.cues.begin(), output.cues.end(), is_rule);
}

// A negative of a linked rule fails only when the rule still warns or blocks there: the
// shape may match ordinary text ("my neighbor"), and linkage keeping it at info is the rule
// working as written. A negative of any other rule fails on any finding.
bool ProducesAlert(const scan::ScanOutput& output, const rules::Rule& rule) {
  if (rule.linkage == rules::Linkage::kNone || rule.action == rules::Action::kInfo) {
    return HasRule(output, rule.id);
  }
  return std::any_of(output.findings.begin(), output.findings.end(), [&](const scan::Finding& f) {
    return f.rule->id == rule.id && f.action != rules::Action::kInfo;
  });
}

std::string RulesFound(const scan::ScanOutput& output) {
  std::string ids;
  for (const auto& f : output.findings) ids += (ids.empty() ? "" : ", ") + f.rule->id;
  return ids.empty() ? "nothing" : ids;
}

// Hyperscan's verdict from the full set's databases: did this rule's expression match at all?
bool HyperscanMatches(const scan::CompiledRules& set, hs_scratch_t* scratch,
                      std::uint32_t rule_index, std::string_view text) {
  struct State {
    const scan::CompiledRules* set;
    std::uint32_t rule;
    bool hit = false;
  } state{&set, rule_index};
  for (const auto& database : set.databases()) {
    hs_scan(
        database.get(), text.data(), static_cast<unsigned int>(text.size()), 0, scratch,
        [](unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
          auto* s = static_cast<State*>(ctx);
          if (s->set->target(id).rule_index == s->rule) s->hit = true;
          return 0;
        },
        &state);
  }
  return state.hit;
}

void CrossCheckEngines(const rules::Pack& pack, const rules::Rule& rule, std::uint32_t index,
                       const scan::CompiledRules& set, hs_scratch_t* scratch, CheckReport& report) {
  if (rule.pattern.empty()) return;
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_case_sensitive(!rule.caseless);
  options.set_log_errors(false);
  const re2::RE2 plain(rule.pattern, options);
  std::vector<std::string> texts = rule.examples;
  texts.insert(texts.end(), rule.negatives.begin(), rule.negatives.end());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const util::NormalizedText normalized(texts[i]);
    const bool hs = HyperscanMatches(set, scratch, index, normalized.text());
    const bool re2 = re2::RE2::PartialMatch(normalized.text(), plain);
    if (hs != re2) {
      const bool is_example = i < rule.examples.size();
      report.problems.push_back(
          {Level::kError, Where(pack, rule),
           std::string(is_example ? "example " : "negative ") +
               std::to_string(1 + (is_example ? i : i - rule.examples.size())) +
               ": engines disagree (Hyperscan " + (hs ? "matches" : "does not match") + ", RE2 " +
               (re2 ? "matches" : "does not match") + ")"});
    }
  }
}

void RunExamples(const rules::Pack& pack, const rules::Rule& rule, scan::Scanner& scanner,
                 CheckReport& report) {
  for (std::size_t i = 0; i < rule.examples.size(); ++i) {
    const auto output = scanner.Scan(rule.examples[i]);
    ++report.examples_run;
    if (!HasRule(output, rule.id)) {
      report.problems.push_back({Level::kError, Where(pack, rule),
                                 "example " + std::to_string(i + 1) +
                                     " does not produce this rule (found: " + RulesFound(output) +
                                     ")"});
    }
  }
  for (std::size_t i = 0; i < rule.negatives.size(); ++i) {
    const auto output = scanner.Scan(rule.negatives[i]);
    ++report.examples_run;
    if (ProducesAlert(output, rule)) {
      report.problems.push_back({Level::kError, Where(pack, rule),
                                 "negative " + std::to_string(i + 1) + " produces this rule"});
    }
  }
}

}  // namespace

CheckReport CheckExamples(const std::shared_ptr<const scan::CompiledRules>& set,
                          const std::set<std::string, std::less<>>& pack_ids) {
  CheckReport report;
  scan::Scanner scanner(set);
  for (const auto& pack : set->packs()) {
    if (!pack_ids.contains(pack.id)) continue;
    report.rules += pack.rules.size();
    for (const auto& rule : pack.rules) RunExamples(pack, rule, scanner, report);
  }
  return report;
}

std::size_t CheckReport::errors() const {
  return static_cast<std::size_t>(std::count_if(
      problems.begin(), problems.end(), [](const auto& p) { return p.level == Level::kError; }));
}
std::size_t CheckReport::warnings() const { return problems.size() - errors(); }

CheckReport CheckPacks(std::vector<rules::Pack> packs) {
  CheckReport report;
  for (const auto& pack : packs) report.rules += pack.rules.size();
  auto built = scan::CompiledRules::Build(std::move(packs), {});
  if (!built.ok()) {
    report.problems.push_back({Level::kError, built.error().where, built.error().reason});
    return report;
  }
  const auto& set = *built.value();
  scan::Scanner scanner(built.value());
  auto scratch = scan::AllocateScratch(set.databases());
  std::uint32_t index = 0;
  for (const auto& pack : set.packs()) {
    for (const auto& rule : pack.rules) {
      LintRule(pack, rule, set.rules()[index], report);
      CrossCheckEngines(pack, rule, index, set, scratch.value().get(), report);
      RunExamples(pack, rule, scanner, report);
      ++index;
    }
  }
  return report;
}

}  // namespace phiguard::engine
