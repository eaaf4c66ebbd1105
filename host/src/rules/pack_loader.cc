#include "rules/pack_loader.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "rules/free_spacing.h"
#include "rules/pattern_fragments.h"
#include "rules/word_list.h"
#include "util/ascii.h"
#include "util/bounded_file.h"
#include "util/utf8.h"

namespace phiguard::rules {
namespace {

using nlohmann::json;
using util::Error;

// Thrown inside this file only, caught at ParsePack's boundary and turned into an Error.
struct FieldError {
  std::string reason;
};

const std::set<std::string, std::less<>> kPackFields = {"pack",     "version", "description",
                                                        "rules",    "$schema", "fragments",
                                                        "surfaces", "sites",   "voice_model"};
const std::set<std::string, std::less<>> kVoiceModelFields = {
    "weights", "weights_file", "bias", "threshold", "raise_threshold", "note"};
const std::set<std::string, std::less<>> kRuleFields = {"id",
                                                        "title",
                                                        "category",
                                                        "kind",
                                                        "severity",
                                                        "action",
                                                        "pattern",
                                                        "terms",
                                                        "terms_file",
                                                        "caseless",
                                                        "span_group",
                                                        "validate",
                                                        "context",
                                                        "confidence",
                                                        "message",
                                                        "advice",
                                                        "references",
                                                        "examples",
                                                        "negatives",
                                                        "note",
                                                        "linkage",
                                                        "evidence",
                                                        "words",
                                                        "yields_to_patient",
                                                        "post_wide",
                                                        "yields_outside_own_words",
                                                        "pairs_like_name",
                                                        "locates_only"};
const std::set<std::string, std::less<>> kContextFields = {"raise",    "lower",       "window",
                                                           "required", "drop_before", "drop_after"};

const std::set<std::string, std::less<>> kWordsFields = {
    "accept",           "reject",          "never",        "accept_files",
    "reject_files",     "never_files",     "skip",         "require_accepted",
    "capitalised_only", "case_blind",      "any_accepted", "skip_files",
    "after_name",       "after_name_files"};

void RejectUnknownFields(const json& object, const std::set<std::string, std::less<>>& known,
                         std::string_view what) {
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) {
      throw FieldError{"unknown field '" + key + "' in " + std::string(what)};
    }
  }
}

std::string RequireString(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end()) throw FieldError{std::string("missing '") + field + "'"};
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    throw FieldError{std::string("'") + field + "' must be a non-empty string"};
  }
  return it->get<std::string>();
}

std::string OptionalString(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end()) return {};
  if (!it->is_string()) throw FieldError{std::string("'") + field + "' must be a string"};
  return it->get<std::string>();
}

std::vector<std::string> OptionalStrings(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end()) return {};
  if (!it->is_array()) throw FieldError{std::string("'") + field + "' must be a list of strings"};
  std::vector<std::string> out;
  out.reserve(it->size());
  for (const auto& item : *it) {
    if (!item.is_string()) {
      throw FieldError{std::string("'") + field + "' must be a list of strings"};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

template <typename Enum>
Enum RequireEnum(const json& object, const char* field,
                 std::optional<Enum> (*parse)(std::string_view), const char* allowed) {
  const auto text = RequireString(object, field);
  const auto parsed = parse(text);
  if (!parsed) throw FieldError{std::string("'") + field + "' must be one of " + allowed};
  return *parsed;
}

ContextSpec ParseContext(const json& rule) {
  ContextSpec context;
  const auto it = rule.find("context");
  if (it == rule.end()) return context;
  if (!it->is_object()) throw FieldError{"'context' must be an object"};
  RejectUnknownFields(*it, kContextFields, "context");
  for (auto& word : OptionalStrings(*it, "raise")) context.raise.push_back(util::LowerAscii(word));
  for (auto& word : OptionalStrings(*it, "lower")) context.lower.push_back(util::LowerAscii(word));
  for (auto& word : OptionalStrings(*it, "drop_before")) {
    context.drop_before.push_back(util::LowerAscii(word));
  }
  for (auto& word : OptionalStrings(*it, "drop_after")) {
    context.drop_after.push_back(util::LowerAscii(word));
  }
  if (const auto w = it->find("window"); w != it->end()) {
    if (!w->is_number_unsigned() || w->get<std::uint64_t>() < 1 || w->get<std::uint64_t>() > 400) {
      throw FieldError{"'context.window' must be a whole number from 1 to 400"};
    }
    context.window = w->get<std::uint32_t>();
  }
  if (const auto r = it->find("required"); r != it->end()) {
    if (!r->is_boolean()) throw FieldError{"'context.required' must be true or false"};
    context.required = r->get<bool>();
  }
  if (context.required && context.raise.empty()) {
    throw FieldError{"'context.required' needs at least one 'raise' word"};
  }
  return context;
}

// The files read so far, when a caller asked (LoadPackDirectory's second form).
thread_local std::vector<std::filesystem::path>* t_files_read = nullptr;
// While files are recorded, the word lists read in this load, by path: each is read from
// its file here, never taken from LoadWordListFile's process-wide cache, which could hold
// what an earlier load read before the file changed (the compiled form must hold what the
// files recorded with it hold). Shared by every pack of the folder, as the cache shares
// them.
thread_local std::map<std::string, std::shared_ptr<const WordList>>* t_recorded_lists = nullptr;
// As LoadWordListFile refuses (word_list.cc).
constexpr std::size_t kMaxWordListFileBytes = 64ULL * 1024 * 1024;

void NoteFileRead(const std::filesystem::path& path) {
  if (t_files_read == nullptr) return;
  if (std::find(t_files_read->begin(), t_files_read->end(), path) == t_files_read->end()) {
    t_files_read->push_back(path);
  }
}

std::vector<std::string> ReadTermsFile(const std::filesystem::path& path) {
  NoteFileRead(path);
  auto content = util::ReadFileBounded(path, kMaxPackBytes);  // size checked before reading
  if (!content.ok()) {
    throw FieldError{"cannot read terms_file '" + path.string() + "' (" + content.error().reason +
                     ")"};
  }
  std::istringstream in(content.value());
  std::vector<std::string> terms;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    terms.push_back(line);
  }
  return terms;
}

// A file a pack names (terms_file, words' files): relative, inside the pack's folder, and
// only for packs on disk (a bundle carries its words inline).
std::filesystem::path PackRelativeFile(const std::string& file,
                                       const std::filesystem::path& base_dir, const char* field) {
  if (base_dir.empty())
    throw FieldError{std::string("'") + field + "' is not allowed in this pack"};
  const auto path = std::filesystem::path(file);
  if (path.is_absolute() || file.find("..") != std::string::npos) {
    throw FieldError{std::string("'") + field +
                     "' must be a relative path inside the pack's folder"};
  }
  return base_dir / path;
}

// The word lists the pack being parsed on this thread has named so far, by the path its
// rules give (ParsePack sets it for the length of one parse). The shipped packs name the
// same few lists about 300 times, and resolving each name again (LoadWordListFile's
// weakly_canonical: a readlink per folder on the way, then a stat) was 2,500 system calls
// of a start (docs/performance.md "Start-up, fourth round"). Kept for one parse only, so
// what a later load reads is resolved as before.
thread_local std::map<std::string, std::shared_ptr<const WordList>>* t_pack_lists = nullptr;

std::vector<std::shared_ptr<const WordList>> ParseWordLists(const json& words,
                                                            const char* inline_field,
                                                            const char* files_field,
                                                            const std::filesystem::path& base_dir) {
  std::vector<std::shared_ptr<const WordList>> lists;
  if (auto inline_words = OptionalStrings(words, inline_field); !inline_words.empty()) {
    lists.push_back(std::make_shared<const WordList>(WordList::FromWords(inline_words)));
  }
  for (const auto& file : OptionalStrings(words, files_field)) {
    const auto path = PackRelativeFile(file, base_dir, "words");
    if (t_pack_lists != nullptr) {
      if (const auto it = t_pack_lists->find(path.string()); it != t_pack_lists->end()) {
        lists.push_back(it->second);
        continue;
      }
    }
    NoteFileRead(path);
    if (t_recorded_lists != nullptr) {
      auto& list = (*t_recorded_lists)[path.string()];
      if (!list) {
        auto content = util::ReadFileBounded(path, kMaxWordListFileBytes);
        if (!content.ok()) throw FieldError{"cannot read word list '" + path.string() + "'"};
        list = std::make_shared<const WordList>(WordList::FromText(content.value()));
      }
      lists.push_back(list);
      if (t_pack_lists != nullptr) (*t_pack_lists)[path.string()] = list;
      continue;
    }
    try {
      lists.push_back(LoadWordListFile(path));
    } catch (const std::runtime_error& e) {
      throw FieldError{e.what()};
    }
    if (t_pack_lists != nullptr) (*t_pack_lists)[path.string()] = lists.back();
  }
  return lists;
}

// `words`: which words of a candidate are names and which are ordinary English
// (rules/README.md "Word checks").
WordCheck ParseWords(const json& object, const std::filesystem::path& base_dir) {
  WordCheck check;
  const auto it = object.find("words");
  if (it == object.end()) return check;
  if (!it->is_object()) throw FieldError{"'words' must be an object"};
  RejectUnknownFields(*it, kWordsFields, "words");
  check.accept = ParseWordLists(*it, "accept", "accept_files", base_dir);
  check.reject = ParseWordLists(*it, "reject", "reject_files", base_dir);
  check.never = ParseWordLists(*it, "never", "never_files", base_dir);
  check.skip = ParseWordLists(*it, "skip", "skip_files", base_dir);
  check.after_name = ParseWordLists(*it, "after_name", "after_name_files", base_dir);
  const auto flag = [&](const char* field, bool& value) {
    const auto found = it->find(field);
    if (found == it->end()) return;
    if (!found->is_boolean()) {
      throw FieldError{std::string("'words.") + field + "' must be true or false"};
    }
    value = found->get<bool>();
  };
  flag("require_accepted", check.require_accepted);
  flag("capitalised_only", check.capitalised_only);
  flag("case_blind", check.case_blind);
  flag("any_accepted", check.any_accepted);
  if (check.empty()) throw FieldError{"'words' needs an accept, reject or never list"};
  return check;
}

// A pattern as written: one string, or a list of strings joined without a separator, or
// with "\n" when the first starts with (?x), so that each line's '#' comment ends with it.
std::string PatternText(const json& value, const std::string& field) {
  if (value.is_string()) return value.get<std::string>();
  const bool lines = value.is_array() && std::all_of(value.begin(), value.end(),
                                                     [](const json& l) { return l.is_string(); });
  if (!lines) throw FieldError{"'" + field + "' must be a string or a list of strings"};
  const bool free_spacing =
      !value.empty() && value[0].get_ref<const std::string&>().starts_with(kFreeSpacingMarker);
  std::string text;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (i > 0 && free_spacing) text += '\n';
    text += value[i].get_ref<const std::string&>();
  }
  return text;
}

// The pattern the engines compile: joined, spacing and comments removed, fragments expanded.
std::string ParsePattern(const json& object, const Fragments& fragments) {
  const auto it = object.find("pattern");
  if (it == object.end()) return {};
  const auto written = PatternText(*it, "pattern");
  if (written.empty()) return {};
  auto expanded = ExpandFragments(StripFreeSpacing(written), fragments, kMaxPatternLength);
  if (!expanded.ok()) throw FieldError{"'pattern': " + expanded.error().reason};
  if (expanded.value().empty()) {
    throw FieldError{"'pattern' is empty once spacing and comments are removed"};
  }
  return std::move(expanded).value();
}

void ParseMatcher(const json& object, const std::filesystem::path& base_dir,
                  const Fragments& fragments, Rule& rule) {
  rule.pattern = ParsePattern(object, fragments);
  rule.terms = OptionalStrings(object, "terms");
  if (const auto file = OptionalString(object, "terms_file"); !file.empty()) {
    auto more = ReadTermsFile(PackRelativeFile(file, base_dir, "terms_file"));
    rule.terms.insert(rule.terms.end(), more.begin(), more.end());
  }
  const bool has_pattern = !rule.pattern.empty();
  const bool has_terms = !rule.terms.empty();
  if (has_pattern == has_terms) {
    throw FieldError{"needs exactly one matcher: 'pattern' or 'terms'/'terms_file'"};
  }
  if (rule.terms.size() > kMaxTermsPerRule) throw FieldError{"too many terms"};
  for (const auto& term : rule.terms) {
    if (term.empty() || !util::IsValidUtf8(term)) {
      throw FieldError{"terms must be non-empty UTF-8 strings"};
    }
  }
}

void ParseOptions(const json& object, Rule& rule) {
  if (const auto it = object.find("caseless"); it != object.end()) {
    if (!it->is_boolean()) throw FieldError{"'caseless' must be true or false"};
    rule.caseless = it->get<bool>();
  }
  if (const auto it = object.find("span_group"); it != object.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 20) {
      throw FieldError{"'span_group' must be a whole number from 0 to 20"};
    }
    rule.span_group = it->get<std::uint32_t>();
  }
  if (const auto it = object.find("confidence"); it != object.end()) {
    if (!it->is_number() || it->get<double>() < 0.0 || it->get<double>() > 1.0) {
      throw FieldError{"'confidence' must be a number from 0 to 1"};
    }
    rule.confidence = it->get<double>();
  }
}

// `linkage` is for identifiers (phi rules); `evidence` says what a cue rule is evidence of.
void ParseLinkageFields(const json& object, Rule& rule) {
  if (object.contains("linkage") && rule.kind == Kind::kCue && !object.contains("evidence")) {
    // Packs from before "evidence" marked care cues with "linkage": "patient_health";
    // signed bundles of that age must keep loading.
    const auto legacy = RequireEnum<Linkage>(object, "linkage", ParseLinkage, "patient_health");
    if (legacy == Linkage::kPatientHealth) rule.evidence = Evidence::kPatientHealth;
    return;
  }
  if (object.contains("linkage")) {
    if (rule.kind != Kind::kPhi) throw FieldError{"'linkage' is only for rules of kind 'phi'"};
    rule.linkage =
        RequireEnum<Linkage>(object, "linkage", ParseLinkage, "none, patient_health, person");
  }
  if (object.contains("evidence")) {
    if (rule.kind != Kind::kCue) throw FieldError{"'evidence' is only for rules of kind 'cue'"};
    rule.evidence = RequireEnum<Evidence>(object, "evidence", ParseEvidence,
                                          "patient, health, patient_health, staff, not_patient");
  }
  if (const auto it = object.find("yields_to_patient"); it != object.end()) {
    if (!it->is_boolean()) throw FieldError{"'yields_to_patient' must be true or false"};
    if (rule.kind != Kind::kCue ||
        (rule.evidence != Evidence::kStaff && rule.evidence != Evidence::kNotPatient)) {
      throw FieldError{
          "'yields_to_patient' is only for cue rules with evidence 'staff' or "
          "'not_patient'"};
    }
    rule.yields_to_patient = it->get<bool>();
  }
  if (const auto it = object.find("post_wide"); it != object.end()) {
    if (!it->is_boolean()) throw FieldError{"'post_wide' must be true or false"};
    if (rule.kind != Kind::kCue || rule.evidence != Evidence::kNotPatient) {
      throw FieldError{"'post_wide' is only for cue rules with evidence 'not_patient'"};
    }
    rule.post_wide = it->get<bool>();
  }
  if (const auto it = object.find("yields_outside_own_words"); it != object.end()) {
    if (!it->is_boolean()) throw FieldError{"'yields_outside_own_words' must be true or false"};
    if (!rule.post_wide || !rule.yields_to_patient) {
      throw FieldError{
          "'yields_outside_own_words' is only for post_wide cue rules that yield to a patient"};
    }
    rule.yields_outside_own_words = it->get<bool>();
  }
  if (const auto it = object.find("pairs_like_name"); it != object.end()) {
    if (!it->is_boolean()) throw FieldError{"'pairs_like_name' must be true or false"};
    if (rule.kind != Kind::kPhi || rule.category != "patient_detail") {
      throw FieldError{"'pairs_like_name' is only for phi rules of category 'patient_detail'"};
    }
    rule.pairs_like_name = it->get<bool>();
  }
  if (const auto it = object.find("locates_only"); it != object.end()) {
    if (!it->is_boolean()) throw FieldError{"'locates_only' must be true or false"};
    if (rule.kind != Kind::kCue || rule.evidence != Evidence::kPatientHealth) {
      throw FieldError{"'locates_only' is only for cue rules with evidence 'patient_health'"};
    }
    rule.locates_only = it->get<bool>();
  }
}

bool IsValidRuleId(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

Rule ParseRule(const json& object, const std::filesystem::path& base_dir,
               const Fragments& fragments) {
  if (!object.is_object()) throw FieldError{"each rule must be an object"};
  Rule rule;
  rule.id = RequireString(object, "id");
  if (!IsValidRuleId(rule.id)) throw FieldError{"'id' may hold only a-z 0-9 . _ -"};
  RejectUnknownFields(object, kRuleFields, "rule");
  rule.title = RequireString(object, "title");
  rule.category = RequireString(object, "category");
  if (rule.category != "cue" && !IsKnownCategory(rule.category)) {
    throw FieldError{"unknown category '" + rule.category +
                     "' (see docs/design.md \"Categories\")"};
  }
  rule.kind = RequireEnum<Kind>(object, "kind", ParseKind, "phi, health, policy, cue");
  if ((rule.kind == Kind::kCue) != (rule.category == "cue")) {
    throw FieldError{"kind 'cue' and category 'cue' go together"};
  }
  ParseLinkageFields(object, rule);
  rule.severity =
      RequireEnum<Severity>(object, "severity", ParseSeverity, "low, medium, high, critical");
  rule.action = RequireEnum<Action>(object, "action", ParseAction, "info, warn, block");
  ParseMatcher(object, base_dir, fragments, rule);
  ParseOptions(object, rule);
  rule.validate = OptionalString(object, "validate");
  rule.words = ParseWords(object, base_dir);
  rule.context = ParseContext(object);
  rule.message = RequireString(object, "message");
  rule.advice = OptionalString(object, "advice");
  rule.references = OptionalStrings(object, "references");
  rule.examples = OptionalStrings(object, "examples");
  rule.negatives = OptionalStrings(object, "negatives");
  if (rule.examples.empty()) throw FieldError{"needs at least one entry in 'examples'"};
  return rule;
}

// The pack's `surfaces` and `sites`: where its rules apply (rules/README.md "Where a pack
// applies"). Absent means everywhere; present means a non-empty list of known surfaces, or
// of site names as the extension sends them (extension/src/shared/sites.js).
void ParseScope(const json& document, Pack& pack) {
  const auto surfaces = OptionalStrings(document, "surfaces");
  if (document.contains("surfaces") && surfaces.empty()) {
    throw FieldError{"'surfaces' must name at least one surface, or be left out"};
  }
  for (const auto& surface : surfaces) {
    if (!IsKnownSurface(surface)) {
      throw FieldError{"unknown surface '" + surface + "' (compose or review_reply)"};
    }
  }
  const auto sites = OptionalStrings(document, "sites");
  if (document.contains("sites") && sites.empty()) {
    throw FieldError{"'sites' must name at least one site, or be left out"};
  }
  for (auto& rule : pack.rules) {
    // The scope drops findings after linkage has used them, so a scoped rule must be one
    // that linkage never reads: a phi, health or cue finding would still raise or lower
    // the findings of other packs where its own were dropped.
    if ((!surfaces.empty() || !sites.empty()) && rule.kind != Kind::kPolicy) {
      throw FieldError{"rule '" + rule.id +
                       "': only policy rules may be in a pack limited to surfaces or sites"};
    }
    rule.surfaces = surfaces;
    rule.sites = sites;
  }
}

// The pack's "fragments", each joined and stripped like a pattern, then expanded into each
// other. `where` is set to the fragment an error is about.
Fragments ParseFragments(const json& document, std::string& where) {
  const auto it = document.find("fragments");
  if (it == document.end()) return {};
  if (!it->is_object()) throw FieldError{"'fragments' must be an object of named patterns"};
  if (it->size() > kMaxFragmentsPerPack) throw FieldError{"too many fragments in one pack"};
  Fragments written;
  for (const auto& [name, value] : it->items()) {
    where = "fragment " + name;
    auto text = StripFreeSpacing(PatternText(value, "fragments." + name));
    if (text.empty()) throw FieldError{"a fragment must be a non-empty pattern"};
    written.emplace(name, std::move(text));
  }
  auto resolved = ResolveFragments(written, kMaxPatternLength);
  if (!resolved.ok()) {
    where = resolved.error().where;
    throw FieldError{resolved.error().reason};
  }
  where.clear();
  return std::move(resolved).value();
}

// A weight: a finite number of modest size (a model is never steered by one word alone).
constexpr double kMaxWeight = 100.0;

[[noreturn]] void BadWeight(const std::string& what) {
  throw FieldError{"'voice_model' " + what + " must be a number from -100 to 100"};
}

float ParseWeight(const json& value, const std::string& what) {
  if (!value.is_number() || !(value.get<double>() >= -kMaxWeight) ||
      !(value.get<double>() <= kMaxWeight)) {
    BadWeight(what);
  }
  return static_cast<float>(value.get<double>());
}

// Whether `text` is a JSON number exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
// nothing around it.
bool IsJsonNumber(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// A weights_file line's weight, as ParseWeight reads the same text through the JSON parser
// (nlohmann reads a number with strtod, correctly rounded as from_chars is, or as an
// integer that a weight's range holds exactly), without building a JSON value per line: 20,000 of
// them were 5 % of a start. Anything but a plain JSON number goes through the parser, so what is
// accepted and the value read do not change.
float ParseWeightText(const std::string& text, std::string_view feature) {
  if (IsJsonNumber(text)) {
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    // nlohmann reads "-0" as the integer 0, which is +0.0 as a double.
    if (value == 0 && text.find_first_of(".eE") == std::string::npos) value = 0.0;
    if (!(value >= -kMaxWeight) || !(value <= kMaxWeight)) {
      BadWeight("weight of '" + std::string(feature) + "'");
    }
    return static_cast<float>(value);
  }
  return ParseWeight(json::parse(text, nullptr, false), "weight of '" + std::string(feature) + "'");
}

// A feature as the scanner forms it: one or two words of lower-case ASCII letters (an
// apostrophe inside a word) or "0" for a run of digits, separated by one space.
bool IsFeature(std::string_view feature) {
  if (feature.empty() || feature.size() > 64) return false;
  std::size_t words = 1;
  for (std::size_t i = 0; i < feature.size(); ++i) {
    const char c = feature[i];
    if (c == ' ') {
      if (i == 0 || i + 1 == feature.size() || feature[i - 1] == ' ') return false;
      ++words;
    } else if (!((c >= 'a' && c <= 'z') || c == '\'' || c == '0')) {
      return false;
    }
  }
  return words <= 2;
}

// "voice_model": {"weights_file": "lists/voice-model.txt" | "weights": {...}, "bias": b,
// "threshold": p}. The file holds "feature<TAB>weight" lines (trainer's output); a bundle
// carries the weights inline, as it does term lists.
std::shared_ptr<const VoiceModel> ParseVoiceModel(const json& document,
                                                  const std::filesystem::path& base_dir,
                                                  const std::string& source) {
  const auto it = document.find("voice_model");
  if (it == document.end()) return nullptr;
  if (!it->is_object()) throw FieldError{"'voice_model' must be an object"};
  RejectUnknownFields(*it, kVoiceModelFields, "voice_model");
  auto model = std::make_shared<VoiceModel>();
  model->source = source;
  const auto bias = it->find("bias");
  if (bias == it->end()) throw FieldError{"'voice_model' needs a 'bias'"};
  model->bias = ParseWeight(*bias, "'bias'");
  const auto threshold = it->find("threshold");
  if (threshold == it->end() || !threshold->is_number() || !(threshold->get<double>() > 0.0) ||
      !(threshold->get<double>() < 1.0)) {
    throw FieldError{"'voice_model' needs a 'threshold' between 0 and 1"};
  }
  model->threshold = static_cast<float>(threshold->get<double>());
  if (const auto raise = it->find("raise_threshold"); raise != it->end()) {
    // Above the lowering threshold, or one stretch of text would be lowered and raised.
    if (!raise->is_number() || !(raise->get<double>() > model->threshold) ||
        !(raise->get<double>() < 1.0)) {
      throw FieldError{"'voice_model.raise_threshold' must be between 'threshold' and 1"};
    }
    model->raise_threshold = static_cast<float>(raise->get<double>());
  }
  const auto add = [&](const std::string& feature, float weight) {
    if (!IsFeature(feature)) {
      throw FieldError{"'voice_model' feature '" + feature.substr(0, 64) +
                       "' is not one or two lower-case words"};
    }
    if (!model->Add(feature, weight)) {
      throw FieldError{"'voice_model' lists feature '" + feature + "' twice"};
    }
  };
  const auto file = OptionalString(*it, "weights_file");
  const auto inline_weights = it->find("weights");
  if (file.empty() == (inline_weights == it->end())) {
    throw FieldError{"'voice_model' needs exactly one of 'weights' and 'weights_file'"};
  }
  if (!file.empty()) {
    for (const auto& line : ReadTermsFile(PackRelativeFile(file, base_dir, "weights_file"))) {
      const auto tab = line.rfind('\t');
      if (tab == std::string::npos) {
        throw FieldError{"'voice_model' weights_file lines are 'feature<TAB>weight'"};
      }
      const auto feature = line.substr(0, tab);
      add(feature, ParseWeightText(line.substr(tab + 1), feature));
    }
  } else {
    if (!inline_weights->is_object()) throw FieldError{"'voice_model.weights' must be an object"};
    for (const auto& [feature, weight] : inline_weights->items()) {
      add(feature, ParseWeight(weight, "weight of '" + feature + "'"));
    }
  }
  if (model->empty()) throw FieldError{"'voice_model' has no weights"};
  return model;
}

}  // namespace

util::Result<Pack> ParsePack(std::string_view json_text, const std::string& source,
                             const std::filesystem::path& base_dir) {
  if (json_text.size() > kMaxPackBytes) return Error{source, "pack is larger than 16 MiB"};
  const json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Error{source, "not valid JSON"};
  if (!document.is_object()) return Error{source, "a pack must be a JSON object"};

  std::map<std::string, std::shared_ptr<const WordList>> pack_lists;
  struct ListsOfThisPack {
    decltype(t_pack_lists) previous;
    ~ListsOfThisPack() { t_pack_lists = previous; }
  } scope{t_pack_lists};
  t_pack_lists = &pack_lists;

  Pack pack;
  pack.source = source;
  std::string current_rule;
  try {
    RejectUnknownFields(document, kPackFields, "pack");
    pack.id = RequireString(document, "pack");
    pack.version = RequireString(document, "version");
    pack.description = RequireString(document, "description");
    const Fragments fragments = ParseFragments(document, current_rule);
    const auto rules = document.find("rules");
    if (rules == document.end() || !rules->is_array() || rules->empty()) {
      throw FieldError{"'rules' must be a non-empty list"};
    }
    if (rules->size() > kMaxRulesPerPack) throw FieldError{"too many rules in one pack"};
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const auto& entry = (*rules)[i];
      current_rule = entry.is_object() && entry.contains("id") && entry["id"].is_string()
                         ? entry["id"].get<std::string>()
                         : "rules[" + std::to_string(i) + "]";
      Rule rule = ParseRule(entry, base_dir, fragments);
      if (!seen.insert(rule.id).second) throw FieldError{"duplicate rule id"};
      pack.rules.push_back(std::move(rule));
    }
    current_rule.clear();
    ParseScope(document, pack);
    pack.voice_model = ParseVoiceModel(document, base_dir, source);
  } catch (const FieldError& e) {
    return Error{current_rule.empty() ? source : source + ": " + current_rule, e.reason};
  } catch (const json::exception& e) {
    return Error{source, std::string("unexpected JSON shape: ") + e.what()};
  }
  return pack;
}

util::Result<Pack> LoadPackFile(const std::filesystem::path& path) {
  NoteFileRead(path);
  auto content = util::ReadFileBounded(path, kMaxPackBytes);  // size checked before reading
  if (!content.ok()) return content.error();
  return ParsePack(content.value(), path.string(), path.parent_path());
}

util::Result<std::vector<Pack>> LoadPackDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Error{dir.string(), "not a directory"};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  if (ec) return Error{dir.string(), "cannot list: " + ec.message()};
  std::sort(files.begin(), files.end());
  std::vector<Pack> packs;
  for (const auto& file : files) {
    auto pack = LoadPackFile(file);
    if (!pack.ok()) return pack.error();
    packs.push_back(std::move(pack).value());
  }
  if (auto duplicate = CheckUniqueRuleIds(packs)) return *duplicate;
  return packs;
}

util::Result<std::vector<Pack>> LoadPackDirectory(const std::filesystem::path& dir,
                                                  std::vector<std::filesystem::path>& files_read) {
  std::map<std::string, std::shared_ptr<const WordList>> lists;
  struct Recording {
    decltype(t_files_read) previous;
    decltype(t_recorded_lists) previous_lists;
    ~Recording() {
      t_files_read = previous;
      t_recorded_lists = previous_lists;
    }
  } scope{t_files_read, t_recorded_lists};
  t_files_read = &files_read;
  t_recorded_lists = &lists;
  return LoadPackDirectory(dir);
}

std::optional<util::Error> CheckUniqueRuleIds(const std::vector<Pack>& packs) {
  std::map<std::string, std::string, std::less<>> owner;
  for (const auto& pack : packs) {
    for (const auto& rule : pack.rules) {
      const auto [it, inserted] = owner.emplace(rule.id, pack.source);
      if (!inserted) {
        return Error{pack.source + ": " + rule.id, "rule id also defined in " + it->second};
      }
    }
  }
  return std::nullopt;
}

}  // namespace phiguard::rules
