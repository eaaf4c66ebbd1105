#pragma once
// Opening files in a folder every user's host trusts: the system cache, which root writes
// and each user's host reads (SECURITY.md "A poisoned compiled-rules cache"). The monitored
// user must not be able to plant a file there, so a file is used only when its folder and
// the file itself belong to the trusted owner (root) and neither is writable by group or
// others, and never through a symbolic link. The checks are made on the descriptors that
// are then read (the file is opened relative to the checked folder and checked with fstat),
// so nothing can be swapped in between the check and the read. Folders above the cache
// folder are not needed for that (/var/cache and /Library/Caches are the system's own), but
// a reader that trusts what it reads without checking it (the system cache used in place,
// without its digest: cache/file_database_store.h) asks TrustedAncestors as well.
//
// POSIX only, as the rest of the cache layer.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "util/error.h"

namespace phiguard::cache {

// An open file descriptor, closed when it goes.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// Opens `dir` if it is a directory (not a symbolic link to one) owned by `owner` and not
// writable by group or others. A folder that does not exist fails with
// scan::kNoCacheFile as its reason (nothing to say); every other failure says why.
util::Result<FileDescriptor> OpenTrustedFolder(const std::filesystem::path& dir, uid_t owner);

// Opens `name` in a folder from OpenTrustedFolder, for reading, if it is a regular file
// (not a symbolic link) owned by `owner` and not writable by group or others. A missing
// file fails with scan::kNoCacheFile.
util::Result<FileDescriptor> OpenTrustedFile(const FileDescriptor& folder, const std::string& name,
                                             uid_t owner);

// Why the folders above `folder` (an open folder from OpenTrustedFolder) could let someone
// other than `owner` replace it, or nothing when none could. Each folder above, up to the
// root, must belong to `owner` or root and be writable by neither group nor others, unless
// it is sticky (as /tmp: there nobody else can rename or remove what `owner` or root put
// in it). The walk goes through ".." from the open folder, so it checks the folders that
// folder is really in, not a path that could have changed since; `dir` only names them in
// the reason.
std::optional<std::string> UntrustedAncestor(const FileDescriptor& folder,
                                             const std::filesystem::path& dir, uid_t owner);

}  // namespace phiguard::cache
