#pragma once
// The packs of one folder, as LoadPackDirectory returns them, in a binary form that is read
// back without parsing JSON, sorting or indexing word lists, or hashing the voice model's
// features: each rule's fields, every word list once (its sorted buffer, offsets and bucket
// index as they lie in memory, shared by the rules that name it, as loading shares them),
// and the voice model's table as laid out. Root writes it beside the system cache
// (cache/compiled_packs.h, which decides when it may be read); this file only encodes and
// decodes, and decoding checks the layout (bounds, lengths, enum values, each list's and
// table's structure), not where the bytes came from.
//
// The form is the machine's own: native byte order and sizes, and tied to this build's
// Rule layout (kPackImageLayout). Rule fields added without writing them here are caught by
// PackImage tests' round trip and, on the build machine, by a static_assert of sizeof(Rule).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "util/error.h"

namespace phiguard::rules {

// Changes whenever what is written changes; a form of another layout is not read.
std::string_view PackImageLayout();

std::string EncodePackImage(const std::vector<Pack>& packs);

// The packs of `image`, each pack's `source` (and its voice model's) being `folder` /
// the pack's file name, as LoadPackDirectory(folder) names them.
// With `keep`, which holds the memory `image` lies in for as long as it lives (a read-only
// mapping of the form), the word lists point into the image instead of copying it, and hold
// `keep`; their part of the image is its first `*lists_end` bytes (set when given), so the
// caller may let go of the rest. The form puts the image on an 8-byte boundary; lists whose
// arrays would be misaligned there are copied.
util::Result<std::vector<Pack>> DecodePackImage(std::string_view image,
                                                const std::filesystem::path& folder,
                                                const std::shared_ptr<const void>& keep = nullptr,
                                                std::size_t* lists_end = nullptr);

}  // namespace phiguard::rules
