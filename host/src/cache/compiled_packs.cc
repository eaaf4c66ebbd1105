#include "cache/compiled_packs.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>

#include "cache/trusted_folder.h"
#include "rules/pack_image.h"
#include "rules/pack_loader.h"
#include "scan/database_store.h"
#include "util/hash.h"
#include "util/paths.h"
#include "version.h"

namespace phiguard::cache {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFormMagic = "PHIGUARD-PACKS-2\n";
// The default packs' form is about 4 MB; a bigger file than this is not ours.
constexpr std::size_t kMaxFormBytes = 256ULL << 20;
constexpr std::size_t kFormDigestBytes = crypto_generichash_BYTES;

util::Error UnusableForm(std::string reason) {
  return util::Error{"compiled packs", std::move(reason)};
}

// The folder as the form names it: absolute and without "." or "..", made without a system
// call beyond getcwd (weakly_canonical's readlink per folder is what a start avoids).
std::string FolderName(const fs::path& packs_dir) {
  std::error_code ec;
  return fs::absolute(packs_dir, ec).lexically_normal().string();
}

// What the form records of each file the load read: enough that any change to the file
// since (a write, a rename over it, a chmod) shows.
struct Identity {
  std::string name;  // relative to the pack folder; "." for the folder itself
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const Identity&) const = default;
};

std::optional<Identity> IdentityOf(int folder, const std::string& name) {
  struct stat info {};
  if (::fstatat(folder, name.c_str(), &info, 0) != 0) return std::nullopt;
  return Identity{name,
                  static_cast<std::uint64_t>(info.st_dev),
                  static_cast<std::uint64_t>(info.st_ino),
                  static_cast<std::uint64_t>(info.st_size),
                  info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec,
                  info.st_ctim.tv_sec * 1'000'000'000LL + info.st_ctim.tv_nsec};
}

// A checksum over the whole form, against a disk fault or a hand edit (only root can write
// the file): four lanes of XXH64's round, several GB/s, where BLAKE2b over the form's 4 MB
// would cost about 5 ms of a start. Not a digest: the trust is the file's ownership.
std::uint64_t Checksum(std::string_view bytes) {
  constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ULL;
  constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
  const auto round = [](std::uint64_t acc, std::uint64_t input) {
    acc += input * kP2;
    acc = (acc << 31) | (acc >> 33);
    return acc * kP1;
  };
  std::uint64_t lanes[4] = {kP1 + kP2, kP2, 0, 0 - kP1};
  std::size_t i = 0;
  for (; i + 32 <= bytes.size(); i += 32) {
    for (int lane = 0; lane < 4; ++lane) {
      std::uint64_t word;
      std::memcpy(&word, bytes.data() + i + lane * 8, 8);
      lanes[lane] = round(lanes[lane], word);
    }
  }
  std::uint64_t hash = bytes.size();
  for (const auto lane : lanes) hash = round(hash ^ lane, lane) * kP1;
  for (; i < bytes.size(); ++i) {
    hash = round(hash, static_cast<unsigned char>(bytes[i]));
  }
  hash ^= hash >> 33;
  hash *= kP2;
  hash ^= hash >> 29;
  return hash;
}

// BLAKE2b over each file's name, size and contents, in order: the packs' identity by
// content, for `--check`. Empty when a file cannot be read.
std::string ContentDigest(const fs::path& packs_dir, const std::vector<std::string>& names) {
  if (sodium_init() < 0) return {};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kFormDigestBytes);
  for (const auto& name : names) {
    if (name == ".") continue;
    std::ifstream in(packs_dir / name, std::ios::binary);
    if (!in) return {};
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string header = name + '\0' + std::to_string(content.size()) + '\0';
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(header.data()),
                              header.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(content.data()),
                              content.size());
  }
  std::string digest(kFormDigestBytes, '\0');
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(digest.data()),
                           kFormDigestBytes);
  return digest;
}

// The program and layout a form must have been written by: a form is read instead of
// loading, so only the loader that would load the same packs may read it.
std::string WriterName() {
  return std::string(PHIGUARD_VERSION) + " " + std::string(rules::PackImageLayout());
}

void AppendFormU64(std::string& out, std::uint64_t value) {
  out.append(reinterpret_cast<const char*>(&value), 8);
}
void AppendStr(std::string& out, std::string_view text) {
  AppendFormU64(out, text.size());
  out.append(text);
}
bool ReadFormU64(std::string_view& in, std::uint64_t& value) {
  if (in.size() < 8) return false;
  std::memcpy(&value, in.data(), 8);
  in.remove_prefix(8);
  return true;
}
bool ReadStr(std::string_view& in, std::string_view& text) {
  std::uint64_t size = 0;
  if (!ReadFormU64(in, size) || size > in.size()) return false;
  text = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

// A form's parts, as the header lays them out:
//   magic, writer, folder, identities (count, then name, dev, ino, size, mtime, ctime),
//   content digest, pack versions ("id version" each, for messages), zeros that put the
//   image's first byte on an 8-byte boundary of the file (so that its word lists can be
//   used where they lie in a mapping of it), the image, then the checksum of every byte
//   before it.
struct Form {
  std::string_view writer;
  std::string_view folder;
  std::vector<Identity> identities;
  std::string_view digest;
  std::vector<std::string_view> versions;
  std::string_view image;
};

util::Result<Form> ParseForm(std::string_view bytes) {
  if (!bytes.starts_with(kFormMagic) || bytes.size() < kFormMagic.size() + 8) {
    return UnusableForm("not a compiled pack form of this version");
  }
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  bytes.remove_suffix(8);
  if (Checksum(bytes) != stored) return UnusableForm("checksum does not match (cut or changed)");
  std::string_view in = bytes.substr(kFormMagic.size());
  Form form;
  std::uint64_t count = 0;
  if (!ReadStr(in, form.writer) || !ReadStr(in, form.folder) || !ReadFormU64(in, count) ||
      count > in.size() / 48) {
    return UnusableForm("truncated header");
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    Identity identity;
    std::string_view name;
    std::uint64_t mtime = 0;
    std::uint64_t ctime = 0;
    if (!ReadStr(in, name) || !ReadFormU64(in, identity.dev) || !ReadFormU64(in, identity.ino) ||
        !ReadFormU64(in, identity.size) || !ReadFormU64(in, mtime) || !ReadFormU64(in, ctime)) {
      return UnusableForm("truncated header");
    }
    identity.name = std::string(name);
    identity.mtime_ns = static_cast<std::int64_t>(mtime);
    identity.ctime_ns = static_cast<std::int64_t>(ctime);
    form.identities.push_back(std::move(identity));
  }
  if (!ReadStr(in, form.digest) || !ReadFormU64(in, count) || count > in.size() / 8) {
    return UnusableForm("truncated header");
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string_view version;
    if (!ReadStr(in, version)) return UnusableForm("truncated header");
    form.versions.push_back(version);
  }
  std::string_view padding;
  if (!ReadStr(in, padding) || padding.size() >= 8 || !ReadStr(in, form.image) || !in.empty()) {
    return UnusableForm("truncated image");
  }
  return form;
}

// Why the files a form names are not those it was compiled from, or nothing.
std::optional<std::string> Changed(const fs::path& packs_dir, const Form& form) {
  FileDescriptor folder(::open(packs_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder.valid()) return "cannot open the pack folder";
  for (const auto& recorded : form.identities) {
    const auto now = IdentityOf(folder.get(), recorded.name);
    if (!now) return recorded.name + " is gone";
    if (!(*now == recorded)) return recorded.name + " changed since the packs were compiled";
  }
  return std::nullopt;
}

// A whole trusted file, mapped read-only. Word lists decoded in place hold it (through a
// shared_ptr), and only the pages they lie in are kept once they are decoded (KeepOnly).
class Mapping {
 public:
  explicit Mapping(const FileDescriptor& file) {
    struct stat info {};
    if (::fstat(file.get(), &info) != 0 || info.st_size <= 0 ||
        static_cast<std::size_t>(info.st_size) > kMaxFormBytes) {
      return;
    }
    size_ = static_cast<std::size_t>(info.st_size);
    void* data = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.get(), 0);
    if (data != MAP_FAILED) {
      data_ = static_cast<const char*>(data);
      kept_end_ = size_;
    }
  }
  ~Mapping() {
    if (data_ && kept_end_ > kept_begin_) {
      ::munmap(const_cast<char*>(data_) + kept_begin_, kept_end_ - kept_begin_);
    }
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  bool ok() const { return data_ != nullptr; }
  std::string_view view() const { return {data_, size_}; }
  // Unmaps the whole pages outside [begin, end) of the file, which nothing may read after.
  void KeepOnly(std::size_t begin, std::size_t end) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    if (!data_ || page == 0 || begin > end || end > size_) return;
    const std::size_t first = begin / page * page;
    const std::size_t last = std::min((end + page - 1) / page * page, kept_end_);
    auto* const base = const_cast<char*>(data_);
    if (first > kept_begin_ && ::munmap(base + kept_begin_, first - kept_begin_) == 0) {
      kept_begin_ = first;
    }
    if (kept_end_ > last && ::munmap(base + last, kept_end_ - last) == 0) kept_end_ = last;
  }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t kept_begin_ = 0;  // the part still mapped
  std::size_t kept_end_ = 0;
};

// Opens and checks the form (everything but decoding the image) and hands it to `use`.
template <typename Use>
auto WithTrustedForm(const fs::path& system_dir, const fs::path& packs_dir, uid_t owner, Use use)
    -> decltype(use(std::declval<const Form&>(), std::declval<std::shared_ptr<Mapping>>())) {
  auto folder = OpenTrustedFolder(system_dir, owner);
  if (!folder.ok()) return folder.error();
  auto file = OpenTrustedFile(folder.value(),
                              CompiledPacksPath(system_dir, packs_dir).filename().string(), owner);
  if (!file.ok()) return file.error();
  // Read without a digest, as the system databases are used in place: only when nobody but
  // the owner (root) can have written it.
  if (auto above = UntrustedAncestor(folder.value(), system_dir, owner))
    return UnusableForm(*above);
  auto mapping = std::make_shared<Mapping>(file.value());
  if (!mapping->ok()) return UnusableForm("cannot map the file, or it is empty or over 256 MiB");
  auto form = ParseForm(mapping->view());
  if (!form.ok()) return form.error();
  if (form.value().writer != WriterName()) {
    return UnusableForm("written by another version (" + std::string(form.value().writer) + ")");
  }
  if (form.value().folder != FolderName(packs_dir))
    return UnusableForm("written for another folder");
  if (auto changed = Changed(packs_dir, form.value())) return UnusableForm(*changed);
  return use(form.value(), std::move(mapping));
}

}  // namespace

fs::path CompiledPacksPath(const fs::path& system_dir, const fs::path& packs_dir) {
  return system_dir / ("packs-" + util::Fnv1a64().Add(FolderName(packs_dir)).Hex() + ".pkc");
}

util::Result<std::vector<rules::Pack>> LoadCompiledPacks(const fs::path& system_dir,
                                                         const fs::path& packs_dir,
                                                         uid_t trusted_owner) {
  return WithTrustedForm(
      system_dir, packs_dir, trusted_owner,
      [&](const Form& form,
          const std::shared_ptr<Mapping>& mapping) -> util::Result<std::vector<rules::Pack>> {
        // The word lists stay where they lie in the mapping (shared with every host, not
        // copied into fresh heap pages); the rest of the image is copied out, and its pages
        // are given back once it has been.
        std::size_t lists_end = 0;
        auto packs = rules::DecodePackImage(form.image, packs_dir, mapping, &lists_end);
        if (!packs.ok()) return packs.error();
        const auto image_at = static_cast<std::size_t>(form.image.data() - mapping->view().data());
        mapping->KeepOnly(image_at, image_at + lists_end);
        if (auto duplicate = rules::CheckUniqueRuleIds(packs.value())) return *duplicate;
        return packs;
      });
}

util::Result<std::vector<rules::Pack>> LoadPackDirectoryCompiledFirst(const fs::path& packs_dir) {
  const auto system_dir = util::SystemCacheDir();
  auto compiled = LoadCompiledPacks(system_dir, packs_dir, util::SystemCacheOwner());
  if (compiled.ok()) return compiled;
  if (compiled.error().reason != scan::kNoCacheFile) {
    spdlog::info("compiled packs of {} not used, reading the packs: {}", packs_dir.string(),
                 compiled.error().Describe());
  }
  return rules::LoadPackDirectory(packs_dir);
}

util::Result<fs::path> WriteCompiledPacks(const fs::path& system_dir, const fs::path& packs_dir) {
  std::vector<fs::path> read;
  auto first = rules::LoadPackDirectory(packs_dir, read);
  if (!first.ok()) return first.error();
  std::vector<std::string> names = {"."};
  for (const auto& path : read) names.push_back(path.lexically_relative(packs_dir).string());
  FileDescriptor folder(::open(packs_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder.valid()) return UnusableForm("cannot open " + packs_dir.string());
  const auto identities = [&] {
    std::vector<Identity> all;
    for (const auto& name : names) {
      auto identity = IdentityOf(folder.get(), name);
      if (!identity) return std::vector<Identity>{};
      all.push_back(std::move(*identity));
    }
    return all;
  };
  // The files as they are before the load the form is made from, and after it: equal, so
  // the form holds what those files hold (a pack changed during the load would otherwise
  // be recorded with the identity of its new text).
  const auto before = identities();
  std::vector<fs::path> read_again;
  auto packs = rules::LoadPackDirectory(packs_dir, read_again);
  if (!packs.ok()) return packs.error();
  const auto digest = ContentDigest(packs_dir, names);
  if (before.empty() || read_again != read || identities() != before || digest.empty()) {
    return UnusableForm("the packs changed while they were compiled; run this again");
  }

  std::string form(kFormMagic);
  AppendStr(form, WriterName());
  AppendStr(form, FolderName(packs_dir));
  AppendFormU64(form, before.size());
  for (const auto& identity : before) {
    AppendStr(form, identity.name);
    AppendFormU64(form, identity.dev);
    AppendFormU64(form, identity.ino);
    AppendFormU64(form, identity.size);
    AppendFormU64(form, static_cast<std::uint64_t>(identity.mtime_ns));
    AppendFormU64(form, static_cast<std::uint64_t>(identity.ctime_ns));
  }
  AppendStr(form, digest);
  AppendFormU64(form, packs.value().size());
  for (const auto& pack : packs.value()) AppendStr(form, pack.id + " " + pack.version);
  // The image's bytes start after the padding's and the image's own size (8 bytes each).
  AppendStr(form, std::string((8 - form.size() % 8) % 8, '\0'));
  AppendStr(form, rules::EncodePackImage(packs.value()));
  AppendFormU64(form, Checksum(form));

  const auto path = CompiledPacksPath(system_dir, packs_dir);
  auto temp = path;
  temp += ".tmp" + std::to_string(::getpid());
  {
    FileDescriptor out(
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!out.valid()) return UnusableForm("cannot write " + temp.string());
    ::fchmod(out.get(), 0644);
    std::size_t done = 0;
    while (done < form.size()) {
      const auto wrote = ::write(out.get(), form.data() + done, form.size() - done);
      if (wrote <= 0) {
        ::unlink(temp.c_str());
        return UnusableForm("cannot write " + temp.string());
      }
      done += static_cast<std::size_t>(wrote);
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return UnusableForm("cannot rename into " + path.string());
  }
  return path;
}

util::Result<std::size_t> CheckCompiledPacks(const fs::path& system_dir, const fs::path& packs_dir,
                                             uid_t trusted_owner) {
  return WithTrustedForm(
      system_dir, packs_dir, trusted_owner,
      [&](const Form& form, const std::shared_ptr<Mapping>&) -> util::Result<std::size_t> {
        std::vector<std::string> names;
        for (const auto& identity : form.identities) {
          names.push_back(identity.name);
        }
        if (ContentDigest(packs_dir, names) != form.digest) {
          return UnusableForm("the packs' contents differ from what was compiled");
        }
        auto packs = rules::DecodePackImage(form.image, packs_dir);
        if (!packs.ok()) return packs.error();
        return packs.value().size();
      });
}

void PruneCompiledPacks(const fs::path& system_dir, const std::vector<fs::path>& keep) {
  std::error_code ec;
  for (fs::directory_iterator it(system_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (!name.starts_with("packs-") || name.find(".pkc") == std::string::npos) continue;
    if (std::find(keep.begin(), keep.end(), it->path()) != keep.end()) continue;
    fs::remove(it->path(), ec);
  }
}

}  // namespace phiguard::cache
