#include "cache/trusted_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "scan/database_store.h"

namespace phiguard::cache {
namespace {

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Why `info` is not trustworthy, or nothing when it is.
std::optional<std::string> Untrusted(const struct stat& info, uid_t owner) {
  if (info.st_uid != owner) {
    return "owned by uid " + std::to_string(info.st_uid) + ", not uid " + std::to_string(owner) +
           (owner == 0 ? " (root)" : "");
  }
  // Group or others who can write could replace the file after root wrote it.
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return "writable by group or others (mode " + Octal(info.st_mode) + ")";
  }
  return std::nullopt;
}

util::Error Refused(const std::filesystem::path& path, std::string reason) {
  return util::Error{path.string(), std::move(reason)};
}

}  // namespace

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

util::Result<FileDescriptor> OpenTrustedFolder(const std::filesystem::path& dir, uid_t owner) {
  // O_NOFOLLOW: a link in the last component fails with ELOOP (or ENOTDIR with
  // O_DIRECTORY on some systems) instead of being followed somewhere a user could write.
  FileDescriptor folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!folder.valid()) {
    const int error = errno;
    if (error == ENOENT) return Refused(dir, std::string(scan::kNoCacheFile));
    if (error == ELOOP || error == ENOTDIR) {
      return Refused(dir, "not a folder, or a symbolic link (never followed)");
    }
    return Refused(dir, std::string("cannot open: ") + std::strerror(error));
  }
  struct stat info {};
  if (::fstat(folder.get(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return Refused(dir, "not a folder");
  }
  if (auto problem = Untrusted(info, owner)) return Refused(dir, *problem);
  return folder;
}

util::Result<FileDescriptor> OpenTrustedFile(const FileDescriptor& folder, const std::string& name,
                                             uid_t owner) {
  // O_NONBLOCK: a FIFO planted under the name must not block the open (it fails the
  // regular-file check below instead).
  FileDescriptor file(
      ::openat(folder.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!file.valid()) {
    const int error = errno;
    if (error == ENOENT) return Refused(name, std::string(scan::kNoCacheFile));
    if (error == ELOOP) return Refused(name, "a symbolic link (never followed)");
    return Refused(name, std::string("cannot open: ") + std::strerror(error));
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return Refused(name, "not a regular file");
  }
  if (auto problem = Untrusted(info, owner)) return Refused(name, *problem);
  return file;
}

std::optional<std::string> UntrustedAncestor(const FileDescriptor& folder,
                                             const std::filesystem::path& dir, uid_t owner) {
#ifdef O_PATH
  // Only looked at, never read: a folder above that this user may search but not list is
  // as good as any.
  constexpr int kFlags = O_PATH | O_DIRECTORY | O_CLOEXEC;
#else
  constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
#endif
  struct stat below {};
  if (::fstat(folder.get(), &below) != 0) return "cannot look at " + dir.string();
  auto name = std::filesystem::absolute(dir).lexically_normal();
  FileDescriptor current;
  int at = folder.get();
  // Far deeper than any cache folder; a loop of mounts must not hang a start.
  for (int depth = 0; depth < 64; ++depth) {
    name = name.has_relative_path() ? name.parent_path() : name;
    FileDescriptor parent(::openat(at, "..", kFlags));
    struct stat info {};
    if (!parent.valid() || ::fstat(parent.get(), &info) != 0) {
      return "cannot look at the folder above it (" + name.string() + "): " + std::strerror(errno);
    }
    // The root is its own parent.
    if (info.st_dev == below.st_dev && info.st_ino == below.st_ino) return std::nullopt;
    if (info.st_uid != owner && info.st_uid != 0) {
      return "the folder above it " + name.string() + " is owned by uid " +
             std::to_string(info.st_uid);
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (info.st_mode & S_ISVTX) == 0) {
      return "the folder above it " + name.string() +
             " is writable by group or others and not sticky (mode " + Octal(info.st_mode) + ")";
    }
    below = info;
    current = std::move(parent);
    at = current.get();
  }
  return "more than 64 folders deep";
}

}  // namespace phiguard::cache
