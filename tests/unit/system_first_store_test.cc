// The system cache root writes and every user's host reads first (cache/system_first_store.h):
// used only when the folder and the file belong to the trusted owner and nobody else can
// write them, never through a link; in place, without its digest, when the folders above are
// safe too; new sets go to the user's cache and the system folder is never written or
// pruned. Tests pass their own uid as the trusted owner (the programs pass
// root's), and test refusal with an owner that is not theirs, so they run as any user.

#include "cache/system_first_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <set>

#include "cache/file_database_store.h"
#include "cache/trusted_folder.h"
#include "scan/compiled_rules.h"
#include "test_support.h"

namespace phiguard::cache {
namespace {

namespace fs = std::filesystem;
using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

const std::string kPack = PackJson(
    "[" + RuleJson("t.digits", R"("pattern":"\\b\\d{6,9}\\b","examples":["id 1234567"])") + "," +
    RuleJson("t.mrn", R"("pattern":"MRN \\d{8}","examples":["MRN 12345678"])") + "]");
const std::string kOtherPack =
    PackJson("[" + RuleJson("t.word", R"("pattern":"zebra\\d","examples":["zebra1"])") + "]");

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.insert(it->path().filename().string());
  }
  return names;
}

class SystemFirstStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("phiguard-system-cache-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    system_ = root_ / "system";
    user_ = root_ / "user";
    fs::create_directories(root_);
    // What `phiguard rules compile --system-cache` leaves: the folder 0755, the set 0644.
    ASSERT_EQ(::mkdir(system_.c_str(), 0755), 0);
    ::chmod(system_.c_str(), 0755);
    auto written = Build(std::make_shared<FileDatabaseStore>(system_), kPack);
    ASSERT_TRUE(written.ok()) << written.error().Describe();
    key_ = written.value()->stats().cache_key;
    file_ = CacheFilePath(system_, key_);
    ASSERT_TRUE(fs::is_regular_file(file_));
    ::chmod(file_.c_str(), 0644);
  }
  void TearDown() override { fs::remove_all(root_); }

  static util::Result<std::shared_ptr<const scan::CompiledRules>> Build(
      std::shared_ptr<scan::DatabaseStore> store, const std::string& pack_json,
      bool cache_only = false) {
    auto pack = rules::ParsePack(pack_json, "inline.json");
    EXPECT_TRUE(pack.ok());
    return scan::CompiledRules::Build({pack.value()},
                                      {.cache = std::move(store), .cache_only = cache_only});
  }
  // The store a user's host has, trusting `owner` for the system folder `dir`.
  std::shared_ptr<SystemFirstStore> HostStore(uid_t owner, const fs::path& dir = {}) {
    return std::make_shared<SystemFirstStore>(dir.empty() ? system_ : dir,
                                              std::make_shared<FileDatabaseStore>(user_), owner);
  }
  // Whether a host trusting `owner` starts from the system set (no compile, nothing of its
  // own written).
  bool StartsFromSystemCache(uid_t owner, const fs::path& dir = {}) {
    auto built = Build(HostStore(owner, dir), kPack);
    EXPECT_TRUE(built.ok());
    return built.ok() && built.value()->stats().from_cache && Names(user_).empty();
  }
  // The reason a system-only reader gives for not using the set.
  std::string Refusal(uid_t owner, const fs::path& dir = {}) {
    auto loaded = SystemFirstStore(dir.empty() ? system_ : dir, nullptr, owner).Load(key_);
    return loaded.ok() ? std::string("used") : loaded.error().Describe();
  }

  fs::path root_, system_, user_, file_;
  std::string key_;
};

TEST_F(SystemFirstStoreTest, ASetTheTrustedOwnerWroteIsUsedAndTheUserCacheStaysEmpty) {
  EXPECT_TRUE(StartsFromSystemCache(::getuid()));
  EXPECT_FALSE(fs::exists(user_ / ("rules-" + key_ + ".hsdb")));
}

TEST_F(SystemFirstStoreTest, AFolderOfAnotherOwnerIsRefused) {
  // Not root (or root trusting another uid): the folder is the current user's own, which is
  // what a monitored user could make.
  const uid_t other = ::getuid() + 1;
  EXPECT_NE(Refusal(other).find("owned by uid " + std::to_string(::getuid())), std::string::npos)
      << Refusal(other);
  EXPECT_FALSE(StartsFromSystemCache(other));
  // The host compiled and kept the set in the user's cache instead.
  EXPECT_EQ(Names(user_), std::set<std::string>{"rules-" + key_ + ".hsdb"});
}

TEST_F(SystemFirstStoreTest, TheProductionOwnerIsRoot) {
  SystemFirstStore store(system_, nullptr);
  auto loaded = store.Load(key_);
  EXPECT_EQ(loaded.ok(), ::getuid() == 0);
}

TEST_F(SystemFirstStoreTest, AFolderOthersCanWriteIsRefused) {
  ::chmod(system_.c_str(), 0775);
  EXPECT_NE(Refusal(::getuid()).find("writable by group or others (mode 0775)"), std::string::npos)
      << Refusal(::getuid());
  EXPECT_FALSE(StartsFromSystemCache(::getuid()));
  ::chmod(system_.c_str(), 01777);  // a sticky world-writable folder, as /tmp
  EXPECT_NE(Refusal(::getuid()).find("writable by group or others"), std::string::npos);
}

TEST_F(SystemFirstStoreTest, AFileOthersCanWriteIsRefused) {
  ::chmod(file_.c_str(), 0666);
  EXPECT_NE(Refusal(::getuid()).find("writable by group or others (mode 0666)"), std::string::npos)
      << Refusal(::getuid());
  EXPECT_FALSE(StartsFromSystemCache(::getuid()));
}

TEST_F(SystemFirstStoreTest, AFileOfAnotherOwnerIsRefused) {
  // Giving a file away takes root; as any other user the folder check above stands for it.
  if (::geteuid() != 0) GTEST_SKIP() << "chown needs root";
  ASSERT_EQ(::chown(file_.c_str(), 54321, 54321), 0);
  EXPECT_NE(Refusal(0).find("owned by uid 54321"), std::string::npos) << Refusal(0);
  EXPECT_FALSE(StartsFromSystemCache(0));
}

TEST_F(SystemFirstStoreTest, LinksAreNeverFollowed) {
  const auto link = root_ / "link";
  fs::create_directory_symlink(system_, link);
  EXPECT_NE(Refusal(::getuid(), link).find("symbolic link"), std::string::npos)
      << Refusal(::getuid(), link);
  EXPECT_FALSE(StartsFromSystemCache(::getuid(), link));

  // A link in place of the file, to a file that would pass every other check.
  const auto elsewhere = root_ / "elsewhere.hsdb";
  fs::rename(file_, elsewhere);
  fs::create_symlink(elsewhere, file_);
  EXPECT_NE(Refusal(::getuid()).find("symbolic link"), std::string::npos) << Refusal(::getuid());
}

// The owner's file in folders nobody else can write (root's and sticky ones above them, as
// /tmp): its databases are mapped where they lie, not copied, and its digest is not
// computed, since nobody but the owner can have changed it.
TEST_F(SystemFirstStoreTest, ASetInTheOwnersFoldersIsUsedInPlace) {
  auto loaded = SystemFirstStore(system_, nullptr, ::getuid()).Load(key_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  EXPECT_TRUE(loaded.value().in_place);
  // The scratch allocated as the mapping's check comes with it.
  EXPECT_TRUE(loaded.value().scratch);
  auto built = Build(HostStore(::getuid()), kPack);
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(built.value()->stats().from_cache);
  EXPECT_TRUE(built.value()->stats().cache_in_place);
  // ... and goes to the first scanner; later ones get their own.
  auto first = built.value()->TakeScratch();
  auto second = built.value()->TakeScratch();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first.value().get(), second.value().get());
  EXPECT_TRUE(Names(user_).empty());
  // A user's own cache is never used in place, whoever owns it.
  ASSERT_TRUE(Build(std::make_shared<FileDatabaseStore>(user_), kOtherPack).ok());
  auto own = Build(std::make_shared<FileDatabaseStore>(user_), kOtherPack);
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(own.value()->stats().from_cache);
  EXPECT_FALSE(own.value()->stats().cache_in_place);
}

// Decided for issue 18: the file of a trusted owner (root) in folders only it can write is
// not digested, so a changed digest (or any byte no check reads) goes unnoticed; a changed
// database byte fails Hyperscan's CRC when mapped, the file is then read as any other, and
// its digest refuses it.
TEST_F(SystemFirstStoreTest, TheOwnersFileIsNotDigestedButAChangedDatabaseIsRefused) {
  {
    std::fstream file(file_, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-1, std::ios::end);
    file.put('\x5a');
  }
  EXPECT_EQ(Refusal(::getuid()), "used");
  EXPECT_TRUE(StartsFromSystemCache(::getuid()));
  {
    std::fstream file(file_, std::ios::in | std::ios::out | std::ios::binary);
    // Inside the last database's bytecode (its serialised form ends in 72 zero bytes).
    file.seekp(-(32 + 72 + 200), std::ios::end);
    file.put('\x5a');
  }
  EXPECT_NE(Refusal(::getuid()).find("digest"), std::string::npos) << Refusal(::getuid());
  EXPECT_FALSE(StartsFromSystemCache(::getuid()));
}

// A folder above the cache folder that someone else could write (not sticky): they could
// move the folder away and put another in its place, so the file is read as a user's file
// is, copied and digested, and an edited byte is refused.
TEST_F(SystemFirstStoreTest, AFolderAboveOthersCanWriteMeansCopiedAndDigested) {
  ::chmod(root_.c_str(), 0777);
  auto loaded = SystemFirstStore(system_, nullptr, ::getuid()).Load(key_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  EXPECT_FALSE(loaded.value().in_place);
  {
    std::fstream file(file_, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-1, std::ios::end);
    file.put('\x5a');
  }
  EXPECT_NE(Refusal(::getuid()).find("digest"), std::string::npos) << Refusal(::getuid());
  EXPECT_FALSE(StartsFromSystemCache(::getuid()));
  // Sticky, as /tmp: nobody else can move what the owner put there.
  ::chmod(root_.c_str(), 01777);
  EXPECT_EQ(Refusal(::getuid()), "used");
  ::chmod(root_.c_str(), 0755);
}

TEST_F(SystemFirstStoreTest, AFolderAboveOfAnotherOwnerMeansCopied) {
  if (::geteuid() != 0) GTEST_SKIP() << "chown needs root";
  // Root trusting uid 54321 for the cache: a folder above it is root's (allowed) or that
  // uid's; one of a third uid is not.
  ASSERT_EQ(::chown(system_.c_str(), 54321, 54321), 0);
  ASSERT_EQ(::chown(file_.c_str(), 54321, 54321), 0);
  auto loaded = SystemFirstStore(system_, nullptr, 54321).Load(key_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  EXPECT_TRUE(loaded.value().in_place);
  ASSERT_EQ(::chown(root_.c_str(), 54322, 54322), 0);
  loaded = SystemFirstStore(system_, nullptr, 54321).Load(key_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  EXPECT_FALSE(loaded.value().in_place);
  FileDescriptor folder(::open(system_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  EXPECT_NE(UntrustedAncestor(folder, system_, 54321).value_or("").find("owned by uid 54322"),
            std::string::npos);
}

// The fallback that succeeds: a database that will not map (its in-memory header edited
// here, in a file whose digest is then made to match, as root's own writer would) is
// copied out through Hyperscan's deserialiser instead, with the digest checked, and used.
TEST_F(SystemFirstStoreTest, ADatabaseThatWillNotMapIsCopiedInstead) {
  std::string bytes;
  {
    std::ifstream in(file_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Magic, the Hyperscan build, the widths, the database count, then each database's
  // offset and length.
  const auto library = scan::LibraryAndPlatformKey();
  std::size_t at = std::string("PHIGUARD-HSDB-6\n").size() + 4 + library.size();
  std::uint32_t widths = 0;
  std::memcpy(&widths, bytes.data() + at, 4);
  at += 4 + std::size_t{widths} * 8 + 4;
  std::uint64_t region = 0;
  std::memcpy(&region, bytes.data() + at, 8);
  ASSERT_EQ(region % scan::kRegionAlignment, 0u);
  const std::uint32_t moved = 64;  // the in-memory header's bytecode offset, at 36
  std::memcpy(bytes.data() + region + 36, &moved, 4);
  // The digest over the key and everything before it, as FileDatabaseStore writes it.
  ASSERT_GE(sodium_init(), 0);
  const std::size_t payload = bytes.size() - crypto_generichash_BYTES;
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(key_.data()),
                            key_.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(bytes.data()), payload);
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(bytes.data() + payload),
                           crypto_generichash_BYTES);
  std::ofstream(file_, std::ios::binary | std::ios::trunc) << bytes;

  auto loaded = SystemFirstStore(system_, nullptr, ::getuid()).Load(key_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  EXPECT_FALSE(loaded.value().in_place);
  auto built = Build(HostStore(::getuid()), kPack);
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(built.value()->stats().from_cache);
  EXPECT_FALSE(built.value()->stats().cache_in_place);
  EXPECT_TRUE(Names(user_).empty());
}

// What root's command reports and `--check` compares: another Hyperscan build or CPU is
// recorded in the file and refused before anything is mapped.
TEST_F(SystemFirstStoreTest, AFileFromAnotherHyperscanBuildIsRefused) {
  std::string bytes;
  {
    std::ifstream in(file_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto library = scan::LibraryAndPlatformKey();
  const auto at = bytes.find(library);
  ASSERT_NE(at, std::string::npos);
  bytes[at] ^= 1;
  std::ofstream(file_, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_NE(Refusal(::getuid()).find("another Hyperscan build"), std::string::npos)
      << Refusal(::getuid());
}

// Nothing is left behind but the set: written through a temporary file and a rename, so a
// host mapping the old file keeps its pages (an overwrite in place would change them).
TEST_F(SystemFirstStoreTest, AStoredSetReplacesTheFileAndNeverRewritesIt) {
  struct stat before {};
  ASSERT_EQ(::stat(file_.c_str(), &before), 0);
  auto loaded = SystemFirstStore(system_, nullptr, ::getuid()).Load(key_);
  ASSERT_TRUE(loaded.ok());
  FileDatabaseStore(system_).Store(key_, loaded.value().databases, loaded.value().infos);
  struct stat after {};
  ASSERT_EQ(::stat(file_.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino);
  EXPECT_EQ(Names(system_), std::set<std::string>{file_.filename().string()});
  // The old mapping still scans.
  auto scratch = scan::AllocateScratch(loaded.value().databases);
  EXPECT_TRUE(scratch.ok());
}

TEST_F(SystemFirstStoreTest, AMissingFolderIsNoCacheAndNotAnError) {
  auto loaded = SystemFirstStore(root_ / "missing", nullptr, ::getuid()).Load(key_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().reason, scan::kNoCacheFile);
}

TEST_F(SystemFirstStoreTest, TheSystemFolderIsNeverWrittenTouchedOrPruned) {
  const auto before = Names(system_);
  const auto written_at = fs::last_write_time(file_);
  auto store = HostStore(::getuid());
  // A set the system cache does not hold goes to the user's cache.
  auto other = Build(store, kOtherPack);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other.value()->stats().from_cache);
  EXPECT_EQ(Names(user_).size(), 1u);
  // A hit is not marked in the system folder, and pruning is the user's cache alone.
  ASSERT_TRUE(Build(store, kPack).ok());
  for (int i = 0; i < 5; ++i) store->Prune();
  EXPECT_EQ(Names(system_), before);
  EXPECT_EQ(fs::last_write_time(file_), written_at);
}

TEST_F(SystemFirstStoreTest, AReadOnlyViewAnswersWithoutCompiling) {
  auto reader = std::make_shared<SystemFirstStore>(system_, nullptr, ::getuid());
  auto held = Build(reader, kPack, /*cache_only=*/true);
  ASSERT_TRUE(held.ok()) << held.error().Describe();
  EXPECT_EQ(held.value()->stats().cache_key, key_);
  auto missing = Build(reader, kOtherPack, /*cache_only=*/true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason, scan::kNotInCache);
  EXPECT_EQ(Names(system_).size(), 1u);
}

}  // namespace
}  // namespace phiguard::cache
