// A database as the cache file stores it (scan::DatabaseRegion): copied out through
// Hyperscan's deserialiser, or mapped where it lies for the root-owned system cache. A
// region whose header, placement or bytecode is not what it should be is refused with a
// reason, never used and never a crash, so the cache can fall back to copying or compiling.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <variant>

#include "scan/hyperscan_database.h"

namespace phiguard::scan {
namespace {

namespace fs = std::filesystem;

DatabasePtr Compile() {
  auto compiled = CompileBlockDatabase({{R"(\b\d{6,9}\b)", 0, 0}, {R"(MRN \d{8})", 0, 1}});
  EXPECT_TRUE(std::holds_alternative<DatabasePtr>(compiled));
  return std::move(std::get<DatabasePtr>(compiled));
}

int CountMatch(unsigned int, unsigned long long, unsigned long long, unsigned int, void* context) {
  ++*static_cast<int*>(context);
  return 0;
}

// Matches in a text with one of each (the digits rule also matches the MRN's digits).
int Matches(const hs_database_t* db) {
  auto scratch = AllocateScratch(db);
  EXPECT_TRUE(scratch.ok());
  if (!scratch.ok()) return -1;
  const std::string text = "id 1234567 and MRN 12345678";
  int count = 0;
  EXPECT_EQ(hs_scan(db, text.data(), static_cast<unsigned int>(text.size()), 0,
                    scratch.value().get(), CountMatch, &count),
            HS_SUCCESS);
  return count;
}

class DatabaseRegionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Compile();
    auto region = DatabaseRegion(db_.get());
    ASSERT_TRUE(region.ok()) << region.error().reason;
    region_ = region.value();
    path_ = fs::temp_directory_path() /
            ("phiguard-region-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { fs::remove(path_); }

  // `region` written at `offset` of a file, mapped in place from there.
  util::Result<DatabasePtr> MapFrom(const std::string& region, std::size_t offset = 0) {
    {
      std::ofstream out(path_, std::ios::binary | std::ios::trunc);
      out << std::string(offset, '\0') << region;
    }
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    scratch_.reset();
    auto mapped = MapDatabaseInPlace(fd, offset, region.size(), scratch_);
    ::close(fd);  // the mapping outlives the descriptor
    return mapped;
  }
  // The region with the 32-bit field at `at` of its in-memory header set to `value`.
  std::string WithHeaderField(std::size_t at, std::uint32_t value) const {
    auto edited = region_;
    std::memcpy(edited.data() + at, &value, 4);
    return edited;
  }

  DatabasePtr db_;
  ScratchPtr scratch_;  // grown by each MapFrom: the check, handed on to the scans
  std::string region_;
  fs::path path_;
};

TEST_F(DatabaseRegionTest, ARegionIsCopiedOrMappedAndScansAsTheDatabase) {
  ASSERT_EQ(Matches(db_.get()), 3);
  auto copied = CopyDatabaseFromRegion(region_);
  ASSERT_TRUE(copied.ok()) << copied.error().reason;
  EXPECT_EQ(Matches(copied.value().get()), 3);
  auto mapped = MapFrom(region_);
  ASSERT_TRUE(mapped.ok()) << mapped.error().reason;
  EXPECT_EQ(Matches(mapped.value().get()), 3);
  // The scratch the check allocated scans it.
  ASSERT_TRUE(scratch_);
  const std::string text = "MRN 12345678";
  int count = 0;
  EXPECT_EQ(hs_scan(mapped.value().get(), text.data(), static_cast<unsigned int>(text.size()), 0,
                    scratch_.get(), CountMatch, &count),
            HS_SUCCESS);
  EXPECT_EQ(count, 2);
  std::size_t size = 0, original = 0;
  ASSERT_EQ(hs_database_size(mapped.value().get(), &size), HS_SUCCESS);
  ASSERT_EQ(hs_database_size(db_.get(), &original), HS_SUCCESS);
  EXPECT_EQ(size, original);
  // On any 64 KiB boundary of a file, as the cache file puts it.
  auto later = MapFrom(region_, kRegionAlignment * 3);
  ASSERT_TRUE(later.ok()) << later.error().reason;
  EXPECT_EQ(Matches(later.value().get()), 3);
}

TEST_F(DatabaseRegionTest, AMappingOffAPageIsRefused) {
  auto mapped = MapFrom(region_, 64);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().reason, "not on a page boundary");
}

TEST_F(DatabaseRegionTest, AnEditedHeaderIsRefused) {
  // Magic (offset 0) and version (4): what every scan checks.
  EXPECT_FALSE(MapFrom(WithHeaderField(0, 0x12345678)).ok());
  EXPECT_FALSE(MapFrom(WithHeaderField(4, 0x01000000)).ok());
  // A bytecode longer than the region (8): it would be read past the mapping.
  std::uint32_t length = 0;
  std::memcpy(&length, region_.data() + 8, 4);
  auto longer = MapFrom(WithHeaderField(8, length + 4096));
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.error().reason, "header does not fit its region");
  // The bytecode's offset (36) anywhere but where a region has it.
  for (std::uint32_t offset : {64u, 4096u, 0x7ffffff0u}) {
    auto moved = MapFrom(WithHeaderField(36, offset));
    ASSERT_FALSE(moved.ok()) << offset;
    EXPECT_EQ(moved.error().reason, "header does not fit its region");
  }
  // A CRC that does not match (24): Hyperscan's own check, in the scratch allocation.
  auto crc = MapFrom(WithHeaderField(24, 0xdeadbeef));
  ASSERT_FALSE(crc.ok());
  EXPECT_NE(crc.error().reason.find("Hyperscan refuses it"), std::string::npos);
}

TEST_F(DatabaseRegionTest, AnEditedBytecodeIsRefusedBothWays) {
  auto edited = region_;
  edited[kRegionBytecodeOffset + 100] ^= 0x5a;
  auto mapped = MapFrom(edited);
  ASSERT_FALSE(mapped.ok());
  EXPECT_NE(mapped.error().reason.find("CRC"), std::string::npos) << mapped.error().reason;
  EXPECT_FALSE(CopyDatabaseFromRegion(edited).ok());
}

TEST_F(DatabaseRegionTest, ATruncatedRegionIsRefusedBothWays) {
  const auto cut = region_.substr(0, region_.size() - 200);
  EXPECT_FALSE(MapFrom(cut).ok());
  EXPECT_FALSE(CopyDatabaseFromRegion(cut).ok());
  EXPECT_FALSE(CopyDatabaseFromRegion(region_.substr(0, 100)).ok());
  EXPECT_FALSE(MapFrom(region_.substr(0, 100)).ok());
}

}  // namespace
}  // namespace phiguard::scan
