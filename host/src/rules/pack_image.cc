#include "rules/pack_image.h"

#include <cstring>
#include <map>
#include <span>
#include <type_traits>

#include "rules/pack_loader.h"

namespace phiguard::rules {

// Reads and writes the parts of WordList and VoiceModel that loading builds.
struct PackImageAccess {
  static std::string_view Buffer(const WordList& list) { return list.buffer_; }
  static std::span<const std::uint32_t> Offsets(const WordList& list) {
    return {list.offsets_, list.offset_count_};
  }
  static std::span<const std::uint32_t> Buckets(const WordList& list) {
    if (list.bucket_begin_ == nullptr) return {};
    return {list.bucket_begin_, WordList::kBucketIndexSize};
  }
  // Whether the parts are a list's layout: every word non-empty and ending in its newline
  // (Word() takes the byte before the next offset as the end), the offsets rising from 0 to
  // the buffer's end, the bucket index rising from 0 to the word count.
  static bool IsLayout(std::string_view buffer, std::span<const std::uint32_t> offsets,
                       std::span<const std::uint32_t> buckets) {
    if (buffer.size() >= UINT32_MAX || buckets.size() != WordList::kBucketIndexSize) return false;
    if (offsets.empty() || offsets.front() != 0 || offsets.back() != buffer.size()) return false;
    for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
      if (offsets[i + 1] <= offsets[i] + 1 || buffer[offsets[i + 1] - 1] != '\n') return false;
    }
    const std::size_t words = offsets.size() - 1;
    if (buckets.front() != 0 || buckets.back() != words) return false;
    for (std::size_t b = 0; b + 1 < buckets.size(); ++b) {
      if (buckets[b] > buckets[b + 1]) return false;
    }
    return true;
  }
  // The list of those parts, copied; or, when `keep` holds the memory they lie in for as
  // long as it lives, pointing into it. Null when they are not a list's layout.
  static std::shared_ptr<const WordList> Assemble(std::string_view buffer,
                                                  std::span<const std::uint32_t> offsets,
                                                  std::span<const std::uint32_t> buckets,
                                                  std::shared_ptr<const void> keep) {
    if (!IsLayout(buffer, offsets, buckets)) return nullptr;
    auto list = std::make_shared<WordList>();
    if (keep) {
      list->buffer_ = buffer;
      list->offsets_ = offsets.data();
      list->offset_count_ = offsets.size();
      list->bucket_begin_ = buckets.data();
      list->storage_ = std::move(keep);
      return list;
    }
    auto owned = std::make_shared<WordList::Owned>();
    owned->buffer.assign(buffer);
    owned->offsets.assign(offsets.begin(), offsets.end());
    owned->bucket_begin.assign(buckets.begin(), buckets.end());
    list->Adopt(std::move(owned));
    return list;
  }

  using Slot = VoiceModel::Slot;
  static const std::vector<Slot>& Slots(const VoiceModel& model) { return model.slots_; }
  static const std::string& Texts(const VoiceModel& model) { return model.texts_; }
  static const std::vector<std::uint32_t>& Ends(const VoiceModel& model) { return model.ends_; }
  static bool Assemble(VoiceModel& model, std::vector<Slot> slots, std::string texts,
                       std::vector<std::uint32_t> ends) {
    // A power of two (Probe masks with size - 1) with an empty slot (a probe for an absent
    // hash must stop), every feature in one slot and every end inside the texts.
    if (slots.empty() || (slots.size() & (slots.size() - 1)) != 0) return false;
    if (ends.empty() || ends.size() >= slots.size() || ends.back() != texts.size()) return false;
    for (std::size_t i = 0; i + 1 < ends.size(); ++i) {
      if (ends[i] > ends[i + 1]) return false;
    }
    std::size_t used = 0;
    for (const auto& slot : slots) {
      if (slot.feature == VoiceModel::kEmpty) continue;
      if (slot.feature >= ends.size()) return false;
      ++used;
    }
    if (used != ends.size()) return false;
    model.slots_ = std::move(slots);
    model.texts_ = std::move(texts);
    model.ends_ = std::move(ends);
    return true;
  }
};

namespace {

using util::Error;

#if defined(__x86_64__) && defined(__GLIBCXX__)
// A field added to Rule must be written below (and this size updated); the round-trip test
// compares every field, but only of the rules it is given.
static_assert(sizeof(Rule) == 648 && sizeof(ContextSpec) == 104 && sizeof(WordCheck) == 128 &&
                  sizeof(Pack) == 168,
              "rules::Rule changed: write the new fields in pack_image.cc, then update this");
#endif
static_assert(std::is_trivially_copyable_v<PackImageAccess::Slot>);

class Writer {
 public:
  void U8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void U32(std::uint32_t value) { Raw(&value, sizeof value); }
  void U64(std::uint64_t value) { Raw(&value, sizeof value); }
  void F32(float value) { Raw(&value, sizeof value); }
  void F64(double value) { Raw(&value, sizeof value); }
  void Bool(bool value) { U8(value ? 1 : 0); }
  void Str(std::string_view text) {
    U64(text.size());
    out_.append(text);
  }
  void Strs(const std::vector<std::string>& texts) {
    U64(texts.size());
    for (const auto& text : texts) Str(text);
  }
  template <typename T>
  void Array(const std::vector<T>& items) {
    static_assert(std::is_trivially_copyable_v<T>);
    U64(items.size());
    if (!items.empty()) Raw(items.data(), items.size() * sizeof(T));
  }
  // An array whose items start on an 8-byte boundary of the image, so that a reader whose
  // image lies on one can use them where they lie: the count, zeros, the items.
  template <typename T>
  void AlignedArray(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);
    U64(items.size());
    out_.resize((out_.size() + 7) / 8 * 8, '\0');
    if (!items.empty()) Raw(items.data(), items.size() * sizeof(T));
  }
  std::string Take() { return std::move(out_); }

 private:
  void Raw(const void* data, std::size_t size) {
    out_.append(static_cast<const char*>(data), size);
  }
  std::string out_;
};

// Thrown inside this file only, when the image ends early or holds what no encoder wrote.
struct Malformed {
  const char* what;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in), size_(in.size()) {}
  std::uint8_t U8() { return Fixed<std::uint8_t>(); }
  std::uint32_t U32() { return Fixed<std::uint32_t>(); }
  std::uint64_t U64() { return Fixed<std::uint64_t>(); }
  float F32() { return Fixed<float>(); }
  double F64() { return Fixed<double>(); }
  bool Bool() {
    const auto value = U8();
    if (value > 1) throw Malformed{"a flag that is neither 0 nor 1"};
    return value == 1;
  }
  std::string Str() {
    const auto size = U64();
    if (size > in_.size()) throw Malformed{"a text past the end"};
    std::string text(in_.substr(0, size));
    in_.remove_prefix(size);
    return text;
  }
  std::vector<std::string> Strs() {
    const auto count = U64();
    if (count > in_.size() / 8) throw Malformed{"a list past the end"};
    std::vector<std::string> texts;
    texts.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) texts.push_back(Str());
    return texts;
  }
  template <typename T>
  std::vector<T> Array() {
    const auto count = U64();
    if (count > in_.size() / sizeof(T)) throw Malformed{"an array past the end"};
    // Copied as they lie (not zeroed first: these are the largest parts of a form).
    std::vector<T> items;
    items.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
      T item;
      std::memcpy(&item, in_.data() + i * sizeof(T), sizeof(T));
      items.push_back(item);
    }
    in_.remove_prefix(count * sizeof(T));
    return items;
  }
  // A text as it lies in the image.
  std::string_view StrView() {
    const auto size = U64();
    if (size > in_.size()) throw Malformed{"a text past the end"};
    const auto text = in_.substr(0, size);
    in_.remove_prefix(size);
    return text;
  }
  // What Writer::AlignedArray wrote, as it lies in the image when its items are aligned
  // there (an image on an 8-byte boundary); otherwise `copy` holds them.
  template <typename T>
  std::span<const T> AlignedArray(std::vector<T>& copy) {
    const auto count = U64();
    const std::size_t at = size_ - in_.size();
    const std::size_t padding = (8 - at % 8) % 8;
    if (padding > in_.size()) throw Malformed{"ends early"};
    for (std::size_t i = 0; i < padding; ++i) {
      if (in_[i] != '\0') throw Malformed{"padding that is not zeros"};
    }
    in_.remove_prefix(padding);
    if (count > in_.size() / sizeof(T)) throw Malformed{"an array past the end"};
    const char* const data = in_.data();
    in_.remove_prefix(count * sizeof(T));
    if (reinterpret_cast<std::uintptr_t>(data) % alignof(T) == 0) {
      return {reinterpret_cast<const T*>(data), static_cast<std::size_t>(count)};
    }
    copy.resize(count);
    if (count > 0) std::memcpy(copy.data(), data, count * sizeof(T));
    return copy;
  }
  template <typename Enum>
  Enum Enumerated(Enum last) {
    const auto value = U8();
    if (value > static_cast<std::uint8_t>(last)) throw Malformed{"an unknown enum value"};
    return static_cast<Enum>(value);
  }
  bool done() const { return in_.empty(); }
  std::size_t position() const { return size_ - in_.size(); }

 private:
  template <typename T>
  T Fixed() {
    if (in_.size() < sizeof(T)) throw Malformed{"ends early"};
    T value;
    std::memcpy(&value, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return value;
  }
  std::string_view in_;
  std::size_t size_;  // of the whole image: where in it in_ starts
};

// Word lists are written once each and named by their index, so that rules share them as
// they shared them when loaded.
using ListIndex = std::map<const WordList*, std::uint32_t>;

void WriteLists(Writer& out, const std::vector<std::shared_ptr<const WordList>>& lists,
                const ListIndex& index) {
  out.U64(lists.size());
  for (const auto& list : lists) out.U32(index.at(list.get()));
}

std::vector<std::shared_ptr<const WordList>> ReadLists(
    Reader& in, const std::vector<std::shared_ptr<const WordList>>& table) {
  const auto count = in.U64();
  if (count > table.size() * 8 + 8) throw Malformed{"too many word lists in a check"};
  std::vector<std::shared_ptr<const WordList>> lists;
  lists.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto at = in.U32();
    if (at >= table.size()) throw Malformed{"a word list that is not in the table"};
    lists.push_back(table[at]);
  }
  return lists;
}

void WriteRule(Writer& out, const Rule& rule, const ListIndex& lists) {
  out.Str(rule.id);
  out.Str(rule.title);
  out.Str(rule.category);
  out.U8(static_cast<std::uint8_t>(rule.kind));
  out.U8(static_cast<std::uint8_t>(rule.severity));
  out.U8(static_cast<std::uint8_t>(rule.action));
  out.Str(rule.pattern);
  out.Strs(rule.terms);
  out.Bool(rule.caseless);
  out.U32(rule.span_group);
  out.Str(rule.validate);
  const auto& words = rule.words;
  WriteLists(out, words.accept, lists);
  WriteLists(out, words.reject, lists);
  WriteLists(out, words.never, lists);
  WriteLists(out, words.skip, lists);
  WriteLists(out, words.after_name, lists);
  out.Bool(words.require_accepted);
  out.Bool(words.capitalised_only);
  out.Bool(words.case_blind);
  out.Bool(words.any_accepted);
  out.U8(static_cast<std::uint8_t>(rule.linkage));
  out.U8(static_cast<std::uint8_t>(rule.evidence));
  out.Bool(rule.yields_to_patient);
  out.Bool(rule.post_wide);
  out.Bool(rule.yields_outside_own_words);
  out.Bool(rule.pairs_like_name);
  out.Bool(rule.locates_only);
  const auto& context = rule.context;
  out.Strs(context.raise);
  out.Strs(context.lower);
  out.U32(context.window);
  out.Bool(context.required);
  out.Strs(context.drop_before);
  out.Strs(context.drop_after);
  out.F64(rule.confidence);
  out.Str(rule.message);
  out.Str(rule.advice);
  out.Strs(rule.references);
  out.Strs(rule.surfaces);
  out.Strs(rule.sites);
  out.Strs(rule.examples);
  out.Strs(rule.negatives);
}

Rule ReadRule(Reader& in, const std::vector<std::shared_ptr<const WordList>>& lists) {
  Rule rule;
  rule.id = in.Str();
  rule.title = in.Str();
  rule.category = in.Str();
  rule.kind = in.Enumerated(Kind::kCue);
  rule.severity = in.Enumerated(Severity::kCritical);
  rule.action = in.Enumerated(Action::kBlock);
  rule.pattern = in.Str();
  rule.terms = in.Strs();
  rule.caseless = in.Bool();
  rule.span_group = in.U32();
  rule.validate = in.Str();
  auto& words = rule.words;
  words.accept = ReadLists(in, lists);
  words.reject = ReadLists(in, lists);
  words.never = ReadLists(in, lists);
  words.skip = ReadLists(in, lists);
  words.after_name = ReadLists(in, lists);
  words.require_accepted = in.Bool();
  words.capitalised_only = in.Bool();
  words.case_blind = in.Bool();
  words.any_accepted = in.Bool();
  rule.linkage = in.Enumerated(Linkage::kPerson);
  rule.evidence = in.Enumerated(Evidence::kNotPatient);
  rule.yields_to_patient = in.Bool();
  rule.post_wide = in.Bool();
  rule.yields_outside_own_words = in.Bool();
  rule.pairs_like_name = in.Bool();
  rule.locates_only = in.Bool();
  auto& context = rule.context;
  context.raise = in.Strs();
  context.lower = in.Strs();
  context.window = in.U32();
  context.required = in.Bool();
  context.drop_before = in.Strs();
  context.drop_after = in.Strs();
  rule.confidence = in.F64();
  rule.message = in.Str();
  rule.advice = in.Str();
  rule.references = in.Strs();
  rule.surfaces = in.Strs();
  rule.sites = in.Strs();
  rule.examples = in.Strs();
  rule.negatives = in.Strs();
  return rule;
}

void WriteVoiceModel(Writer& out, const VoiceModel& model) {
  out.F32(model.bias);
  out.F32(model.threshold);
  out.F32(model.raise_threshold);
  out.Array(PackImageAccess::Slots(model));
  out.Str(PackImageAccess::Texts(model));
  out.Array(PackImageAccess::Ends(model));
}

std::shared_ptr<const VoiceModel> ReadVoiceModel(Reader& in, const std::string& source) {
  auto model = std::make_shared<VoiceModel>();
  model->bias = in.F32();
  model->threshold = in.F32();
  model->raise_threshold = in.F32();
  model->source = source;
  auto slots = in.Array<PackImageAccess::Slot>();
  auto texts = in.Str();
  auto ends = in.Array<std::uint32_t>();
  if (!PackImageAccess::Assemble(*model, std::move(slots), std::move(texts), std::move(ends))) {
    throw Malformed{"a voice model table that is not one"};
  }
  return model;
}

}  // namespace

std::string_view PackImageLayout() {
  // The form's own version; bump it with any change to what is written or how a pack
  // loads (a form is read instead of loading, so it must hold what loading would make).
  return "pack-image-3";
}

std::string EncodePackImage(const std::vector<Pack>& packs) {
  Writer out;
  // Every word list the rules name, once.
  ListIndex index;
  std::vector<const WordList*> table;
  for (const auto& pack : packs) {
    for (const auto& rule : pack.rules) {
      for (const auto* lists : {&rule.words.accept, &rule.words.reject, &rule.words.never,
                                &rule.words.skip, &rule.words.after_name}) {
        for (const auto& list : *lists) {
          if (index.emplace(list.get(), static_cast<std::uint32_t>(table.size())).second) {
            table.push_back(list.get());
          }
        }
      }
    }
  }
  out.U64(table.size());
  for (const auto* list : table) {
    out.Str(PackImageAccess::Buffer(*list));
    out.AlignedArray(PackImageAccess::Offsets(*list));
    out.AlignedArray(PackImageAccess::Buckets(*list));
  }
  out.U64(packs.size());
  for (const auto& pack : packs) {
    out.Str(std::filesystem::path(pack.source).filename().string());
    out.Str(pack.id);
    out.Str(pack.version);
    out.Str(pack.description);
    out.U64(pack.rules.size());
    for (const auto& rule : pack.rules) WriteRule(out, rule, index);
    out.Bool(pack.voice_model != nullptr);
    if (pack.voice_model) WriteVoiceModel(out, *pack.voice_model);
  }
  return out.Take();
}

util::Result<std::vector<Pack>> DecodePackImage(std::string_view image,
                                                const std::filesystem::path& folder,
                                                const std::shared_ptr<const void>& keep,
                                                std::size_t* lists_end) {
  Reader in(image);
  try {
    const auto list_count = in.U64();
    if (list_count > image.size() / 8) throw Malformed{"too many word lists"};
    std::vector<std::shared_ptr<const WordList>> lists;
    lists.reserve(list_count);
    for (std::uint64_t i = 0; i < list_count; ++i) {
      const auto buffer = in.StrView();
      std::vector<std::uint32_t> offsets_copy;
      std::vector<std::uint32_t> buckets_copy;
      const auto offsets = in.AlignedArray(offsets_copy);
      const auto buckets = in.AlignedArray(buckets_copy);
      // In place only when nothing had to be copied for alignment: a list is one or the other.
      const bool in_place =
          keep && offsets.data() != offsets_copy.data() && buckets.data() != buckets_copy.data();
      auto list = PackImageAccess::Assemble(buffer, offsets, buckets, in_place ? keep : nullptr);
      if (!list) throw Malformed{"a word list that is not one"};
      lists.push_back(std::move(list));
    }
    if (lists_end != nullptr) *lists_end = in.position();
    const auto pack_count = in.U64();
    if (pack_count > image.size() / 8) throw Malformed{"too many packs"};
    std::vector<Pack> packs;
    packs.reserve(pack_count);
    for (std::uint64_t p = 0; p < pack_count; ++p) {
      Pack pack;
      const auto file = in.Str();
      if (file.empty() || file.find('/') != std::string::npos)
        throw Malformed{"a pack's file name"};
      pack.source = (folder / file).string();
      pack.id = in.Str();
      pack.version = in.Str();
      pack.description = in.Str();
      const auto rule_count = in.U64();
      if (rule_count > kMaxRulesPerPack) throw Malformed{"too many rules in a pack"};
      pack.rules.reserve(rule_count);
      for (std::uint64_t r = 0; r < rule_count; ++r) pack.rules.push_back(ReadRule(in, lists));
      if (in.Bool()) pack.voice_model = ReadVoiceModel(in, pack.source);
      packs.push_back(std::move(pack));
    }
    if (!in.done()) throw Malformed{"trailing bytes"};
    return packs;
  } catch (const Malformed& e) {
    return Error{"compiled packs", std::string("not a pack image: ") + e.what};
  }
}

}  // namespace phiguard::rules
