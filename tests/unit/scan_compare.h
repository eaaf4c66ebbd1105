#pragma once
// Helpers for tests that check a shortcut scan (edit rescans, pieces) against a whole scan:
// the built-in packs, documents made of their examples and negatives, and a readable
// difference between two lists of findings.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/rule_loading.h"
#include "scan/compiled_rules.h"
#include "scan/finding.h"
#include "shared_cache.h"

namespace phiguard::testing {

inline std::shared_ptr<const scan::CompiledRules> BuiltinRules() {
  // The user cache, as the programs use it: compiling the shipped packs afresh in every test
  // cost minutes under ASan.
  auto rules = engine::LoadBuiltinRules({}, {.cache = testing::SharedTestCache()});
  EXPECT_TRUE(rules.ok());
  return rules.ok() ? rules.value() : nullptr;
}

// Every example and negative of the built-in packs: PHI, health words, policy phrases and
// the near misses written to catch false alarms.
inline std::vector<std::string> PackTexts(const scan::CompiledRules& rules) {
  std::vector<std::string> texts;
  for (const auto& pack : rules.packs()) {
    for (const auto& rule : pack.rules) {
      texts.insert(texts.end(), rule.examples.begin(), rule.examples.end());
      texts.insert(texts.end(), rule.negatives.begin(), rule.negatives.end());
    }
  }
  return texts;
}

// A long document of those texts in a random order, as sentences and paragraphs.
inline std::string Document(const std::vector<std::string>& texts, std::size_t bytes,
                            std::mt19937& rng) {
  std::string doc;
  while (doc.size() < bytes) {
    doc += texts[rng() % texts.size()];
    doc += rng() % 5 == 0 ? "\n\n" : ". ";
  }
  return doc;
}

// Moves `at` back to the start of the UTF-8 sequence it is in.
inline std::size_t CharBoundary(const std::string& text, std::size_t at) {
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return at;
}

inline std::string Describe(const scan::Finding& f) {
  std::ostringstream out;
  out << f.rule->id << " normalised [" << f.start << "," << f.end << ") [" << f.original.byte_start
      << "," << f.original.byte_end << ") utf16 [" << f.original.utf16_start << ","
      << f.original.utf16_end << ") action " << static_cast<int>(f.action) << " confidence "
      << f.confidence << " context";
  for (const auto& word : f.context_words) out << " " << word;
  return out.str();
}

// Empty when both lists are the same; else where they first differ.
inline std::string Difference(const std::vector<scan::Finding>& got,
                              const std::vector<scan::Finding>& expected) {
  for (std::size_t i = 0; i < std::max(got.size(), expected.size()); ++i) {
    const std::string a = i < got.size() ? Describe(got[i]) : "(none)";
    const std::string b = i < expected.size() ? Describe(expected[i]) : "(none)";
    if (a != b) {
      return "finding " + std::to_string(i) + " of " + std::to_string(expected.size()) + ": got " +
             a + ", a full scan gives " + b;
    }
  }
  return "";
}

}  // namespace phiguard::testing
