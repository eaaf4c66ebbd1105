#include "corpus.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "util/allocator_tuning.h"

namespace phiguard::bench {
namespace {

// Before any benchmark: rule loading logs a line per engine built, between benchmark rows
// only noise; and the allocator is set up as the host and CLI set it up in main(), so the
// numbers are the host's (benchmark_main owns main here).
const bool kBenchmarkProcessSetUp = [] {
  spdlog::set_level(spdlog::level::warn);
  util::TuneAllocatorForScanning();
  return true;
}();

constexpr std::array<std::string_view, 6> kClean = {
    "Huge thanks to our night shift team for another incredible week on 4 North! ",
    "Join us Saturday for the community wellness fair in the main lobby from 9 to 1. ",
    "Flu shots are available at every clinic location, no appointment needed. ",
    "Congratulations to Dr. Patel on twenty years of caring for our community. ",
    "Our new parking garage opens next month; shuttle service continues until then. ",
    "Reminder: hand hygiene saves lives. Thank you for everything you do. "};

constexpr std::array<std::string_view, 6> kPhi = {
    "Pt Maria Lopez, MRN 44820193, admitted 03/14/2024 with chest pain, room 412. ",
    "Her SSN is 219-44-7816 and the callback number is (617) 555-0142. ",
    "Mr. Halvorsen (94 y/o) in bed 7 pulled his NG tube again tonight. ",
    "Member ID XJH448201934, DOB 7/4/1931, lives on Birch Hollow Rd in Dunmore Flats. ",
    "Email the discharge summary to jlopez@example.com before Friday. ",
    "Card 4532 0174 8823 9107 on file; account # 00093318841 for the copay. "};

template <std::size_t N>
std::string Fill(const std::array<std::string_view, N>& parts, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 128);
  for (std::size_t i = 0; out.size() < bytes; ++i) out += parts[i % N];
  out.resize(bytes);
  return out;
}

// Every tests/eval/posts/*.jsonl, in file-name order so runs are comparable.
std::vector<std::string> ReadEvalPostTexts() {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(PHIGUARD_EVAL_POSTS_DIR, error)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  for (const auto& file : files) {
    std::ifstream lines(file);
    for (std::string line; std::getline(lines, line);) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      texts.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
    }
  }
  return texts;
}

// The posts from `first` on, one after another, cut to `bytes`.
std::string EvalPostsFrom(const std::vector<std::string>& texts, std::size_t first,
                          std::size_t bytes) {
  std::string out;
  if (texts.empty()) return out;
  for (std::size_t i = first; out.size() < bytes; ++i)
    out.append(texts[i % texts.size()]).append("\n\n");
  // Cut at a character boundary: UTF-8 continuation bytes are 10xxxxxx.
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
  out.resize(end);
  return out;
}

const std::vector<std::string>& EvalPostTexts() {
  static const std::vector<std::string> texts = ReadEvalPostTexts();
  return texts;
}

}  // namespace

std::string EvalPosts(std::size_t bytes) { return EvalPostsFrom(EvalPostTexts(), 0, bytes); }

std::vector<std::string> EvalPostSamples(std::size_t bytes) {
  const auto& texts = EvalPostTexts();
  std::vector<std::string> samples;
  samples.reserve(texts.size());
  for (std::size_t first = 0; first < texts.size(); ++first)
    samples.push_back(EvalPostsFrom(texts, first, bytes));
  return samples;
}

std::string CleanPost(std::size_t bytes) { return Fill(kClean, bytes); }
std::string PhiHeavyPost(std::size_t bytes) { return Fill(kPhi, bytes); }

std::string RepeatToFill(std::string_view phrase, std::size_t bytes) {
  std::string text;
  text.reserve(bytes);
  while (!phrase.empty() && text.size() + phrase.size() <= bytes) text += phrase;
  return text;
}

}  // namespace phiguard::bench
