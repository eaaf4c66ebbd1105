// The compiled pack form (rules/pack_image.h, cache/compiled_packs.h): read back, it is the
// packs loading the JSON makes, field by field; it is read only when trusted as the system
// cache is (tests trust their own uid, as system_first_store_test does) and when every file
// it was compiled from is unchanged; anything else falls back to the JSON.

#include "cache/compiled_packs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include "rules/pack_image.h"
#include "rules/pack_loader.h"
#include "scan/database_store.h"

namespace phiguard::cache {
namespace {

namespace fs = std::filesystem;

const fs::path kShippedPacks = fs::path(PHIGUARD_SOURCE_DIR) / "rules" / "packs";

// Every word of a list, by asking it: the lists compare by what they hold.
void ExpectSameLists(const std::vector<std::shared_ptr<const rules::WordList>>& a,
                     const std::vector<std::shared_ptr<const rules::WordList>>& b,
                     const std::string& where) {
  ASSERT_EQ(a.size(), b.size()) << where;
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i]->size(), b[i]->size()) << where;
}

void ExpectSameRule(const rules::Rule& a, const rules::Rule& b) {
  const auto& w = a.id;
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.title, b.title) << w;
  EXPECT_EQ(a.category, b.category) << w;
  EXPECT_EQ(a.kind, b.kind) << w;
  EXPECT_EQ(a.severity, b.severity) << w;
  EXPECT_EQ(a.action, b.action) << w;
  EXPECT_EQ(a.pattern, b.pattern) << w;
  EXPECT_EQ(a.terms, b.terms) << w;
  EXPECT_EQ(a.caseless, b.caseless) << w;
  EXPECT_EQ(a.span_group, b.span_group) << w;
  EXPECT_EQ(a.validate, b.validate) << w;
  ExpectSameLists(a.words.accept, b.words.accept, w);
  ExpectSameLists(a.words.reject, b.words.reject, w);
  ExpectSameLists(a.words.never, b.words.never, w);
  ExpectSameLists(a.words.skip, b.words.skip, w);
  ExpectSameLists(a.words.after_name, b.words.after_name, w);
  EXPECT_EQ(a.words.require_accepted, b.words.require_accepted) << w;
  EXPECT_EQ(a.words.capitalised_only, b.words.capitalised_only) << w;
  EXPECT_EQ(a.words.case_blind, b.words.case_blind) << w;
  EXPECT_EQ(a.words.any_accepted, b.words.any_accepted) << w;
  EXPECT_EQ(a.linkage, b.linkage) << w;
  EXPECT_EQ(a.evidence, b.evidence) << w;
  EXPECT_EQ(a.yields_to_patient, b.yields_to_patient) << w;
  EXPECT_EQ(a.post_wide, b.post_wide) << w;
  EXPECT_EQ(a.yields_outside_own_words, b.yields_outside_own_words) << w;
  EXPECT_EQ(a.pairs_like_name, b.pairs_like_name) << w;
  EXPECT_EQ(a.locates_only, b.locates_only) << w;
  EXPECT_EQ(a.context.raise, b.context.raise) << w;
  EXPECT_EQ(a.context.lower, b.context.lower) << w;
  EXPECT_EQ(a.context.window, b.context.window) << w;
  EXPECT_EQ(a.context.required, b.context.required) << w;
  EXPECT_EQ(a.context.drop_before, b.context.drop_before) << w;
  EXPECT_EQ(a.context.drop_after, b.context.drop_after) << w;
  EXPECT_EQ(a.confidence, b.confidence) << w;
  EXPECT_EQ(a.message, b.message) << w;
  EXPECT_EQ(a.advice, b.advice) << w;
  EXPECT_EQ(a.references, b.references) << w;
  EXPECT_EQ(a.surfaces, b.surfaces) << w;
  EXPECT_EQ(a.sites, b.sites) << w;
  EXPECT_EQ(a.examples, b.examples) << w;
  EXPECT_EQ(a.negatives, b.negatives) << w;
}

// The packs compare field by field, and their lists, model and sharing by the form they
// encode to (which holds every list's and the table's bytes).
void ExpectSamePacks(const std::vector<rules::Pack>& a, const std::vector<rules::Pack>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t p = 0; p < a.size(); ++p) {
    EXPECT_EQ(a[p].id, b[p].id);
    EXPECT_EQ(a[p].version, b[p].version);
    EXPECT_EQ(a[p].description, b[p].description);
    EXPECT_EQ(a[p].source, b[p].source);
    ASSERT_EQ(a[p].voice_model == nullptr, b[p].voice_model == nullptr);
    if (a[p].voice_model) {
      EXPECT_EQ(a[p].voice_model->source, b[p].voice_model->source);
      EXPECT_EQ(a[p].voice_model->size(), b[p].voice_model->size());
      const auto hash = rules::VoiceModel::HashOf("my patient");
      EXPECT_EQ(a[p].voice_model->FeatureText(hash), b[p].voice_model->FeatureText(hash));
    }
    ASSERT_EQ(a[p].rules.size(), b[p].rules.size());
    for (std::size_t r = 0; r < a[p].rules.size(); ++r)
      ExpectSameRule(a[p].rules[r], b[p].rules[r]);
  }
  EXPECT_EQ(rules::EncodePackImage(a), rules::EncodePackImage(b));
}

std::size_t DistinctLists(const std::vector<rules::Pack>& packs) {
  std::set<const rules::WordList*> lists;
  for (const auto& pack : packs) {
    for (const auto& rule : pack.rules) {
      for (const auto* group : {&rule.words.accept, &rule.words.reject, &rule.words.never,
                                &rule.words.skip, &rule.words.after_name}) {
        for (const auto& list : *group) lists.insert(list.get());
      }
    }
  }
  return lists.size();
}

TEST(PackImage, RoundTripOfTheShippedPacksIsTheJsonLoad) {
  auto loaded = rules::LoadPackDirectory(kShippedPacks);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  const auto image = rules::EncodePackImage(loaded.value());
  auto decoded = rules::DecodePackImage(image, kShippedPacks);
  ASSERT_TRUE(decoded.ok()) << decoded.error().Describe();
  ExpectSamePacks(loaded.value(), decoded.value());
  // The lists stay shared by the rules that name them, and answer as the loaded ones do.
  EXPECT_EQ(DistinctLists(decoded.value()), DistinctLists(loaded.value()));
  for (std::size_t p = 0; p < loaded.value().size(); ++p) {
    for (std::size_t r = 0; r < loaded.value()[p].rules.size(); ++r) {
      const auto& a = loaded.value()[p].rules[r].words;
      const auto& b = decoded.value()[p].rules[r].words;
      for (const char* span : {"Maria Lopez", "the Smith", "John Smith", "Brown Rice", "Tuesday",
                               "Kwame and Efua", "harold-teague-1941"}) {
        if (!a.empty()) {
          EXPECT_EQ(a.Passes(span), b.Passes(span)) << span;
        }
      }
    }
  }
  const rules::VoiceModel* model = nullptr;
  const rules::VoiceModel* model_back = nullptr;
  for (std::size_t p = 0; p < loaded.value().size(); ++p) {
    if (loaded.value()[p].voice_model) {
      model = loaded.value()[p].voice_model.get();
      model_back = decoded.value()[p].voice_model.get();
    }
  }
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->bias, model_back->bias);
  EXPECT_EQ(model->threshold, model_back->threshold);
  EXPECT_EQ(model->raise_threshold, model_back->raise_threshold);
  for (const char* feature : {"my", "patient", "my patient", "my mom", "0", "zzzz unknown"}) {
    const auto hash = rules::VoiceModel::HashOf(feature);
    const float* a = model->Find(hash);
    const float* b = model_back->Find(hash);
    ASSERT_EQ(a == nullptr, b == nullptr) << feature;
    if (a) {
      EXPECT_EQ(*a, *b) << feature;
    }
  }
}

// Whether the words checks of `a` and `b` answer alike, rule by rule, over a few spans.
void ExpectSameWordChecks(const std::vector<rules::Pack>& a, const std::vector<rules::Pack>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t p = 0; p < a.size(); ++p) {
    ASSERT_EQ(a[p].rules.size(), b[p].rules.size());
    for (std::size_t r = 0; r < a[p].rules.size(); ++r) {
      const auto& words = a[p].rules[r].words;
      if (words.empty()) continue;
      for (const char* span : {"Maria Lopez", "the Smith", "John Smith", "Brown Rice", "Tuesday",
                               "Kwame and Efua", "harold-teague-1941", "zyzzyva Qwxz"}) {
        EXPECT_EQ(words.Passes(span), b[p].rules[r].words.Passes(span))
            << a[p].rules[r].id << ": " << span;
      }
    }
  }
}

// With memory to keep, the lists are read where they lie in the image (they hold it, and
// answer as the loaded ones do); where their arrays would be misaligned they are copied.
TEST(PackImage, ListsLieInTheImageWhenItIsKeptAndAligned) {
  auto loaded = rules::LoadPackDirectory(kShippedPacks);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  const auto image = rules::EncodePackImage(loaded.value());
  for (const std::size_t shift : {std::size_t{0}, std::size_t{1}, std::size_t{4}}) {
    // Words of 8 bytes: the buffer's start is on an 8-byte boundary.
    auto memory = std::make_shared<std::vector<std::uint64_t>>(image.size() / 8 + 2);
    char* const at = reinterpret_cast<char*>(memory->data()) + shift;
    std::memcpy(at, image.data(), image.size());
    const std::shared_ptr<const void> keep = memory;
    std::size_t lists_end = 0;
    {
      auto decoded = rules::DecodePackImage(std::string_view(at, image.size()), kShippedPacks, keep,
                                            &lists_end);
      ASSERT_TRUE(decoded.ok()) << decoded.error().Describe();
      EXPECT_GT(lists_end, 0U);
      EXPECT_LT(lists_end, image.size());
      // One hold per distinct list when they lie in it; none when they were copied.
      EXPECT_EQ(static_cast<std::size_t>(keep.use_count() - 2),
                shift % alignof(std::uint32_t) == 0 ? DistinctLists(decoded.value()) : 0U)
          << shift;
      ExpectSameWordChecks(loaded.value(), decoded.value());
    }
    EXPECT_EQ(keep.use_count(), 2) << "the lists let go of the image with the packs";
  }
}

TEST(PackImage, EveryCutImageIsRefused) {
  auto loaded = rules::LoadPackDirectory(kShippedPacks);
  ASSERT_TRUE(loaded.ok());
  // One small pack keeps this quick: every prefix of its image.
  std::vector<rules::Pack> one;
  for (auto& pack : loaded.value()) {
    if (pack.rules.size() < 10 && one.empty()) one.push_back(pack);
  }
  ASSERT_EQ(one.size(), 1U);
  const auto image = rules::EncodePackImage(one);
  for (std::size_t size = 0; size < image.size(); size += 7) {
    EXPECT_FALSE(rules::DecodePackImage(image.substr(0, size), kShippedPacks).ok()) << size;
  }
  EXPECT_FALSE(rules::DecodePackImage(image + "x", kShippedPacks).ok());
}

class CompiledPacksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("phiguard-compiled-packs-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    ::chmod(root_.c_str(), 0755);
    packs_ = root_ / "packs";
    fs::copy(kShippedPacks, packs_, fs::copy_options::recursive);
    system_ = root_ / "system";
    ASSERT_EQ(::mkdir(system_.c_str(), 0755), 0);
    ::chmod(system_.c_str(), 0755);
    auto written = WriteCompiledPacks(system_, packs_);
    ASSERT_TRUE(written.ok()) << written.error().Describe();
    form_ = written.value();
    EXPECT_EQ(form_, CompiledPacksPath(system_, packs_));
  }
  void TearDown() override { fs::remove_all(root_); }

  util::Result<std::vector<rules::Pack>> Load(uid_t owner = ::getuid()) {
    return LoadCompiledPacks(system_, packs_, owner);
  }
  std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  void Write(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  fs::path root_, packs_, system_, form_;
};

TEST_F(CompiledPacksTest, ReadBackItIsTheJsonLoad) {
  struct stat info {};
  ASSERT_EQ(::stat(form_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0644U);
  auto compiled = Load();
  ASSERT_TRUE(compiled.ok()) << compiled.error().Describe();
  auto json = rules::LoadPackDirectory(packs_);
  ASSERT_TRUE(json.ok());
  ExpectSamePacks(json.value(), compiled.value());
  // The lists are read where they lie in the form's mapping, which outlives the load.
  ExpectSameWordChecks(json.value(), compiled.value());
  EXPECT_TRUE(CheckCompiledPacks(system_, packs_, ::getuid()).ok());
}

// The sum of the sizes of the distinct lists the rules name.
std::size_t ListWords(const std::vector<rules::Pack>& packs) {
  std::set<const rules::WordList*> lists;
  for (const auto& pack : packs) {
    for (const auto& rule : pack.rules) {
      for (const auto* group : {&rule.words.accept, &rule.words.reject, &rule.words.never,
                                &rule.words.skip, &rule.words.after_name}) {
        for (const auto& list : *group) lists.insert(list.get());
      }
    }
  }
  std::size_t words = 0;
  for (const auto* list : lists) words += list->size();
  return words;
}

TEST_F(CompiledPacksTest, ListsAreReadFromTheirFilesNotAnEarlierLoad) {
  // A process that loaded the packs (as the CLI has before it compiles) keeps their lists
  // in LoadWordListFile's cache; a list changed since must be compiled as it is now.
  auto held = rules::LoadPackDirectory(packs_);
  ASSERT_TRUE(held.ok());
  { std::ofstream(packs_ / "lists" / "given-names.txt", std::ios::app) << "zzqxname\n"; }
  ASSERT_TRUE(WriteCompiledPacks(system_, packs_).ok());
  auto compiled = Load();
  ASSERT_TRUE(compiled.ok()) << compiled.error().Describe();
  EXPECT_EQ(ListWords(compiled.value()), ListWords(held.value()) + 1);
}

TEST_F(CompiledPacksTest, AbsentIsSaidSo) {
  fs::remove(form_);
  auto compiled = Load();
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.error().reason, scan::kNoCacheFile);
}

TEST_F(CompiledPacksTest, AnyByteChangedIsRefused) {
  const auto bytes = Read(form_);
  for (const std::size_t at :
       {std::size_t{20}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 20, bytes.size() - 1}) {
    auto tampered = bytes;
    tampered[at] = static_cast<char>(tampered[at] ^ 0x20);
    Write(form_, tampered);
    EXPECT_FALSE(Load().ok()) << at;
  }
  Write(form_, bytes);
  EXPECT_TRUE(Load().ok());
}

TEST_F(CompiledPacksTest, TruncatedIsRefused) {
  const auto bytes = Read(form_);
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{10}, bytes.size() / 2, bytes.size() - 8, bytes.size() - 1}) {
    Write(form_, bytes.substr(0, size));
    EXPECT_FALSE(Load().ok()) << size;
  }
}

TEST_F(CompiledPacksTest, StalePacksAreRefused) {
  // A pack edited (even to the same size and restored mtime: its ctime moves), a list
  // file touched, a pack added.
  const auto pack = packs_ / "policy-credential.json";
  struct stat before {};
  ASSERT_EQ(::stat(pack.c_str(), &before), 0);
  auto text = Read(pack);
  text.back() = text.back() == '\n' ? ' ' : '\n';
  Write(pack, text);
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, pack.c_str(), times, 0), 0);
  auto refused = Load();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().reason.find("policy-credential.json changed"), std::string::npos)
      << refused.error().reason;
  EXPECT_FALSE(CheckCompiledPacks(system_, packs_, ::getuid()).ok());

  ASSERT_TRUE(WriteCompiledPacks(system_, packs_).ok());
  ASSERT_TRUE(Load().ok());
  const auto list = packs_ / "lists" / "surnames.txt";
  ASSERT_EQ(::utimensat(AT_FDCWD, list.c_str(), nullptr, 0), 0);
  EXPECT_FALSE(Load().ok());

  ASSERT_TRUE(WriteCompiledPacks(system_, packs_).ok());
  ASSERT_TRUE(Load().ok());
  fs::copy_file(packs_ / "policy-credential.json", packs_ / "zz-copy.json");
  EXPECT_FALSE(Load().ok());
  fs::remove(packs_ / "zz-copy.json");
  EXPECT_FALSE(Load().ok());  // the folder changed: recompile
}

TEST_F(CompiledPacksTest, WritableByOthersOrNotTheOwnersIsRefused) {
  ::chmod(form_.c_str(), 0664);
  EXPECT_FALSE(Load().ok());
  ::chmod(form_.c_str(), 0644);
  ASSERT_TRUE(Load().ok());
  ::chmod(system_.c_str(), 0775);
  EXPECT_FALSE(Load().ok());
  ::chmod(system_.c_str(), 0755);
  EXPECT_FALSE(Load(::getuid() + 1).ok());
  // A folder above that others may write (and not sticky): someone else could have put it
  // there.
  ::chmod(root_.c_str(), 0777);
  auto refused = Load();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().reason.find("writable by group or others"), std::string::npos)
      << refused.error().reason;
  ::chmod(root_.c_str(), 0755);
  // A link in its place is never followed.
  const auto real = root_ / "real.pkc";
  fs::rename(form_, real);
  fs::create_symlink(real, form_);
  EXPECT_FALSE(Load().ok());
}

TEST_F(CompiledPacksTest, FormOfAnotherFolderIsNotRead) {
  const auto other = root_ / "other";
  fs::copy(packs_, other, fs::copy_options::recursive);
  // Its name is its folder's: a form renamed to another folder's name is refused.
  fs::copy_file(form_, CompiledPacksPath(system_, other));
  ::chmod(CompiledPacksPath(system_, other).c_str(), 0644);
  auto refused = LoadCompiledPacks(system_, other, ::getuid());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().reason.find("another folder"), std::string::npos);
}

TEST_F(CompiledPacksTest, HostsFallBackToTheJson) {
#if PHIGUARD_EXPECT_TEST_OVERRIDES
  ::setenv("PHIGUARD_SYSTEM_CACHE_DIR", system_.c_str(), 1);
  ::setenv("PHIGUARD_SYSTEM_CACHE_OWNER", std::to_string(::getuid()).c_str(), 1);
  auto json = rules::LoadPackDirectory(packs_);
  ASSERT_TRUE(json.ok());
  auto used = LoadPackDirectoryCompiledFirst(packs_);
  ASSERT_TRUE(used.ok());
  ExpectSamePacks(json.value(), used.value());
  auto bytes = Read(form_);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  Write(form_, bytes);
  auto fell_back = LoadPackDirectoryCompiledFirst(packs_);
  ASSERT_TRUE(fell_back.ok());
  ExpectSamePacks(json.value(), fell_back.value());
  ::unsetenv("PHIGUARD_SYSTEM_CACHE_DIR");
  ::unsetenv("PHIGUARD_SYSTEM_CACHE_OWNER");
#else
  GTEST_SKIP() << "test overrides are off in this build";
#endif
}

TEST_F(CompiledPacksTest, PruneKeepsOnlyTheFormsNamed) {
  Write(system_ / "packs-0000000000000000.pkc", "old");
  Write(system_ / "rules-x.hsdb", "a database");
  PruneCompiledPacks(system_, {form_});
  EXPECT_TRUE(fs::exists(form_));
  EXPECT_FALSE(fs::exists(system_ / "packs-0000000000000000.pkc"));
  EXPECT_TRUE(fs::exists(system_ / "rules-x.hsdb"));
}

}  // namespace
}  // namespace phiguard::cache
