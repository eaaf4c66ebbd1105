#pragma once
// Reading a whole file with a size limit checked before the first byte is read. A path in
// the configuration (a bundle on a share, a pack, the configuration itself) can name a
// file of any size, and reading a 1 GiB file into memory to find out it is too large once
// cost the host 1.6 GB. The size comes from fstat on the open descriptor, so the file
// checked is the file read; a file that grows past the limit while being read is refused
// too. FIFOs and devices are refused without blocking on them.

#include <cstddef>
#include <filesystem>
#include <string>

#include "util/error.h"

namespace phiguard::util {

// The largest configuration, state and manifest files the programs read.
inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

// The file's bytes, or an error naming the file: it cannot be opened, is not a regular
// file, or is larger than `max_bytes` (then nothing is read).
Result<std::string> ReadFileBounded(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace phiguard::util
