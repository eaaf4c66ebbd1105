#pragma once
// The compiled pack form: the packs of a folder as loading makes them (rules/pack_image.h),
// written by root beside the system cache (`phiguard rules compile --system-cache`) and
// read at a host's start instead of parsing the folder's JSON, its word lists and the
// voice model's weights (docs/performance.md "Start-up, fifth round").
//
// When it is read, and only then (anything else loads the JSON, as without it):
//   - it is trusted as the system cache's databases used in place are: the folder and the
//     file belong to the trusted owner (root) and are writable by nobody else, never
//     through a symbolic link, and every folder above is root's or the owner's and not
//     writable by others unless sticky (cache/trusted_folder.h), so that only root can
//     have written it;
//   - it was written by a build with this form's layout and this program version, for this
//     folder (its absolute path);
//   - every file the load read when root compiled it (the packs, the list files they name,
//     and the folder itself, whose listing says which packs there are) is the same file,
//     unchanged: same device, inode, size, modification and change times to the
//     nanosecond. The change time (ctime) is set by the kernel at every write, rename,
//     chmod or chown and cannot be set by any call a user can make, so a file that was
//     edited, replaced or restored with its old mtime fails. This costs one fstatat per
//     file (33 for the default packs) where digesting their 2.6 MB would cost milliseconds;
//     the digest of their contents is recorded as well and compared by `--check`;
//   - its checksum over every byte matches (a disk fault or an edit by root's own hand:
//     nobody else can write it) and the image decodes with its lists' and table's layout
//     intact.
// A user's own cache keeps no compiled packs: a digest there protects against nothing the
// user does (they can write a matching one), and unlike a database, which CompiledRules
// checks against the rules, a form is the rules; the user would choose what is enforced.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "util/error.h"

namespace phiguard::cache {

// The file that holds the compiled packs of `packs_dir` in the system cache folder.
std::filesystem::path CompiledPacksPath(const std::filesystem::path& system_dir,
                                        const std::filesystem::path& packs_dir);

// The packs of `packs_dir` from their compiled form in `system_dir`, when it may be read
// (above). A missing form fails with scan::kNoCacheFile as its reason; every other failure
// says why.
util::Result<std::vector<rules::Pack>> LoadCompiledPacks(const std::filesystem::path& system_dir,
                                                         const std::filesystem::path& packs_dir,
                                                         uid_t trusted_owner);

// What the hosts load a pack folder with: its compiled form in the system cache
// (util::SystemCacheDir(), trusted owner util::SystemCacheOwner()) when it may be read,
// else rules::LoadPackDirectory. A form that is there but not read is logged with why.
util::Result<std::vector<rules::Pack>> LoadPackDirectoryCompiledFirst(
    const std::filesystem::path& packs_dir);

// Loads `packs_dir` from its JSON and writes its compiled form into `system_dir` (the caller
// has made the folder and checked it; the file is written 0644, then renamed into place).
// Returns the form's path, or why it was not written (the packs do not load, or changed
// while they were read).
util::Result<std::filesystem::path> WriteCompiledPacks(const std::filesystem::path& system_dir,
                                                       const std::filesystem::path& packs_dir);

// Whether `system_dir` holds a form of `packs_dir` that hosts would read (LoadCompiledPacks)
// and whose recorded digest still matches the contents of every file it names: the check
// `phiguard rules compile --system-cache --check` makes. Returns the form's pack count.
util::Result<std::size_t> CheckCompiledPacks(const std::filesystem::path& system_dir,
                                             const std::filesystem::path& packs_dir,
                                             uid_t trusted_owner);

// Deletes compiled pack forms in `system_dir` other than those named in `keep`.
void PruneCompiledPacks(const std::filesystem::path& system_dir,
                        const std::vector<std::filesystem::path>& keep);

}  // namespace phiguard::cache
