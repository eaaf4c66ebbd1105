#pragma once
// Synthetic posts for benchmarks: ordinary social-media text with (or without) identifiers,
// built deterministically so runs are comparable.

#include <cstddef>
#include <string>

namespace phiguard::bench {

// About `bytes` of clean marketing/staff text (no identifiers).
std::string CleanPost(std::size_t bytes);
// About `bytes` of text dense with identifiers and health words.
std::string PhiHeavyPost(std::size_t bytes);
// About `bytes` of the project's labelled posts (tests/eval/posts/*.jsonl), one after
// another: the mix of clean and PHI-bearing staff posts a long paste really is. Empty when
// the folder holds no posts.
std::string EvalPosts(std::size_t bytes);

}  // namespace phiguard::bench
